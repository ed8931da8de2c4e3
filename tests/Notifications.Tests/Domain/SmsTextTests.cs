using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Tests.Domain;

/// <summary>SMS parts per 3GPP TS 23.038: GSM-7 160 / 153, UCS-2 70 / 67, extension characters 2 septets, nothing split across parts.</summary>
public sealed class SmsTextTests
{
    [Fact]
    public void The_default_alphabet_has_127_characters_and_the_extension_table_10()
    {
        Assert.Equal(127, SmsText.Gsm7Basic.Distinct().Count());
        Assert.Equal(127, SmsText.Gsm7Basic.Length);
        Assert.Equal(10, SmsText.Gsm7Extension.Distinct().Count());
        Assert.Empty(SmsText.Gsm7Basic.Intersect(SmsText.Gsm7Extension));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(160, 160, 1)]
    [InlineData(161, 161, 2)]
    [InlineData(306, 306, 2)]
    [InlineData(307, 307, 3)]
    [InlineData(459, 459, 3)]
    [InlineData(460, 460, 4)]
    public void Gsm7_fits_160_in_one_and_153_per_part(int length, int septets, int segments) =>
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, septets, segments), SmsText.Count(new string('a', length)));

    [Fact]
    public void Extension_characters_take_two_septets()
    {
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 20, 1), SmsText.Count("^{}\\[~]|€\f"));
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 160, 1), SmsText.Count(new string('a', 158) + "€"));
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 161, 2), SmsText.Count(new string('a', 159) + "€"));
    }

    [Fact]
    public void An_extension_character_is_never_split_across_two_parts()
    {
        // 152 + 2 + 152 = 306 septets would fill two parts of 153, but the € cannot straddle the first boundary.
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 306, 3), SmsText.Count(new string('a', 152) + "€" + new string('a', 152)));
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 306, 2), SmsText.Count(new string('a', 151) + "€" + new string('a', 153)));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void One_character_outside_gsm7_makes_it_ucs2_with_70_in_one_and_67_per_part(int length, int segments) =>
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, length, segments), SmsText.Count("ж" + new string('a', length - 1)));

    [Fact]
    public void A_surrogate_pair_is_never_split_across_two_parts()
    {
        var text = new string('ж', 66) + "😀" + new string('ж', 66);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 134, 3), SmsText.Count(text));
    }

    [Fact]
    public void The_gsm7_form_drops_only_what_gsm7_lacks()
    {
        Assert.Equal("Santa Lucia, Conchacalla: ñ, é, ¿¡ y 'ch'aki'", SmsText.ToGsm7Form("Santa Lucía, Conchacalla: ñ, é, ¿¡ y ’ch’aki’"));
        Assert.Equal("AÉIOU aéiou - \"x\" ...", SmsText.ToGsm7Form("ÁÉÍÓÚ áéíóú — “x” …"));
        Assert.Equal(SmsEncoding.Gsm7, SmsText.Count(SmsText.ToGsm7Form("Huñunakuy kanqa paqarin, p'unchaw, hallp'a, Ñawpa")).Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsText.Count(SmsText.ToGsm7Form("Юлия")).Encoding);
    }

    [Fact]
    public void Fitting_shortens_the_title_so_the_message_stays_one_part()
    {
        var title = "Ampliación y mejoramiento del sistema de riego por aspersión en los sectores altos de Tocorani, Santa Lucía y Manzanares";
        var fitted = SmsText.Fit("Resultado de la votación: \"{0}\" fue APROBADA. Sí 9, no 2, abstenciones 1 (12 votos).", title);
        Assert.Equal(
            "Resultado de la votacion: \"Ampliacion y mejoramiento del sistema de riego por aspersion en los sectores...\" fue APROBADA. Si 9, no 2, abstenciones 1 (12 votos).",
            fitted);
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 160, 1), SmsText.Count(fitted));
    }

    [Fact]
    public void A_title_that_would_keep_too_little_is_left_whole_in_two_parts()
    {
        var fitted = SmsText.Fit(new string('x', 150) + " {0}", "Riego por aspersión en Tocorani");
        Assert.Equal(new string('x', 150) + " Riego por aspersion en Tocorani", fitted);
        Assert.Equal(2, SmsText.Count(fitted).Segments);
    }

    /// <summary>
    /// Fitting tried every length of the title from its whole length down, each time rendering the message: a 1 MB title
    /// (an event is hostile input too) took hours. Only lengths a single SMS can hold are tried now, with the same result.
    /// </summary>
    [Fact]
    public void Fitting_a_huge_title_takes_at_most_one_sms_worth_of_tries_with_the_same_result()
    {
        var huge = "Riego por aspersión " + new string('x', 1 << 20);
        var fitted = SmsText.Fit("Asamblea: {0}.", huge);
        Assert.Equal("Asamblea: Riego por aspersion " + new string('x', 126) + "....", fitted);
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 160, 1), SmsText.Count(fitted));

        // Trailing spaces inside the cut are trimmed as before: the same text as trying every length.
        var spaced = "Faena " + new string(' ', 5000) + "comunal";
        Assert.Equal("Asamblea: Faena....", SmsText.Fit("Asamblea: {0}.", spaced));
    }
}
