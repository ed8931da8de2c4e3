using System.Text;

namespace Watershed.Notifications.Domain.Messages;

public enum SmsEncoding
{
    /// <summary>The GSM 03.38 default alphabet, 7 bits a character: 160 in one SMS, 153 per part when concatenated.</summary>
    Gsm7,

    /// <summary>Any character outside GSM-7 turns the whole text into UCS-2: 70 in one SMS, 67 per part.</summary>
    Ucs2,
}

/// <param name="Units">Septets (GSM-7, an extension character counts 2) or UTF-16 code units (UCS-2).</param>
public readonly record struct SmsCount(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// SMS texts: how many parts a text takes (3GPP TS 23.038), and the GSM-7 form of a text where one exists, so a
/// Spanish accent does not halve the room (one á makes the whole message UCS-2).
/// </summary>
public static class SmsText
{
    public const int SingleGsm7 = 160;
    public const int PartGsm7 = 153;
    public const int SingleUcs2 = 70;
    public const int PartUcs2 = 67;

    /// <summary>The 127 characters of the default alphabet (0x1B, the escape, is not a character).</summary>
    public const string Gsm7Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>The extension table: each is sent as the escape plus a code, 2 septets.</summary>
    public const string Gsm7Extension = "\f^{}\\[~]|€";

    private static readonly Dictionary<char, string> GsmForms = new()
    {
        ['á'] = "a", ['í'] = "i", ['ó'] = "o", ['ú'] = "u",
        ['Á'] = "A", ['Í'] = "I", ['Ó'] = "O", ['Ú'] = "U",
        ['â'] = "a", ['ê'] = "e", ['î'] = "i", ['ô'] = "o", ['û'] = "u",
        ['ã'] = "a", ['õ'] = "o", ['ë'] = "e", ['ï'] = "i",
        ['È'] = "E", ['Ì'] = "I", ['Ò'] = "O", ['Ù'] = "U", ['À'] = "A",
        ['ç'] = "c",
        ['’'] = "'", ['‘'] = "'", ['ʼ'] = "'", ['´'] = "'", ['`'] = "'",
        ['“'] = "\"", ['”'] = "\"", ['«'] = "\"", ['»'] = "\"",
        ['–'] = "-", ['—'] = "-", ['…'] = "...", ['\u00A0'] = " ",
        ['º'] = "o", ['ª'] = "a",
    };

    public static bool IsGsm7(char c) => Gsm7Basic.Contains(c) || Gsm7Extension.Contains(c);

    /// <summary>
    /// Replaces characters outside GSM-7 that have a GSM-7 form: unaccented vowels for á í ó ú (é and ñ are GSM-7
    /// and stay), the ASCII apostrophe for the typographic ones Quechua ejectives are often typed with, plain quotes
    /// and dashes. Anything without such a form stays, and makes the text UCS-2.
    /// </summary>
    public static string ToGsm7Form(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(!IsGsm7(c) && GsmForms.TryGetValue(c, out var form) ? form : c.ToString());
        }

        return result.ToString();
    }

    /// <summary>
    /// The exact number of parts: a single SMS holds 160 septets (70 UCS-2 units); a longer text is split into parts
    /// of 153 (67), and a part never splits an extension character's two septets or a UTF-16 surrogate pair.
    /// </summary>
    public static SmsCount Count(string text)
    {
        if (text.All(IsGsm7))
        {
            var septets = text.Sum(c => Gsm7Extension.Contains(c) ? 2 : 1);
            return new SmsCount(SmsEncoding.Gsm7, septets,
                septets <= SingleGsm7 ? 1 : Pack(text.Select(c => Gsm7Extension.Contains(c) ? 2 : 1), PartGsm7));
        }

        var units = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            units.Add(pair ? 2 : 1);
            i += pair ? 1 : 0;
        }

        return new SmsCount(SmsEncoding.Ucs2, text.Length, text.Length <= SingleUcs2 ? 1 : Pack(units, PartUcs2));
    }

    private static int Pack(IEnumerable<int> sizes, int capacity)
    {
        var parts = 1;
        var used = 0;
        foreach (var size in sizes)
        {
            if (used + size > capacity)
            {
                parts++;
                used = 0;
            }

            used += size;
        }

        return parts;
    }

    /// <summary>
    /// Renders <paramref name="format"/> (with "{0}" where <paramref name="elastic"/> goes: a title or a name) in its
    /// GSM-7 form and, when it would take more than one SMS, shortens the elastic text with "..." so the whole fits
    /// one; an elastic text that would keep fewer than <paramref name="minimumElastic"/> characters is left whole.
    /// </summary>
    public static string Fit(string format, string elastic, int minimumElastic = 16)
    {
        var whole = ToGsm7Form(format.Replace("{0}", elastic, StringComparison.Ordinal));
        var count = Count(whole);
        if (count.Segments == 1)
        {
            return whole;
        }

        var gsmElastic = ToGsm7Form(elastic);
        var gsmFormat = ToGsm7Form(format);
        var single = count.Encoding == SmsEncoding.Gsm7 ? SingleGsm7 : SingleUcs2;

        // A text that fits one SMS holds at most `single` characters of the elastic part (each takes a unit or more), so
        // shorter cuts are the only ones worth trying: the same answer as trying every length down from the whole, in
        // at most 160 steps however long the elastic text is (an event's 1 MB title took hours the other way).
        for (var keep = Math.Min(gsmElastic.Length - 1, single); keep >= minimumElastic; keep--)
        {
            var candidate = gsmFormat.Replace("{0}", gsmElastic[..keep].TrimEnd() + "...", StringComparison.Ordinal);
            if (Count(candidate).Units <= single)
            {
                return candidate;
            }
        }

        return whole;
    }
}
