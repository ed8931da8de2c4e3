using System.Text;
using Watershed.DevSidecar.Bindings;

namespace Watershed.DevSidecar.Tests;

/// <summary>Header encoding of the .eml files, without a host.</summary>
public sealed class MessageFormatTests
{
    [Fact]
    public void An_ascii_subject_is_written_as_it_is()
    {
        Assert.Equal("Asamblea del 12 de mayo", SmtpBinding.EncodeHeader("Asamblea del 12 de mayo"));
    }

    [Fact]
    public void A_long_subject_with_accents_is_folded_into_encoded_words_that_decode_to_it()
    {
        var subject = string.Concat(Enumerable.Repeat("Convocatoria a la asamblea comunal de Ñahuinlla — acción ", 3));

        var encoded = SmtpBinding.EncodeHeader(subject);

        var words = encoded.Split("\r\n ");
        Assert.True(words.Length > 1);
        Assert.All(words, word =>
        {
            Assert.True(word.Length <= 75, word);
            Assert.StartsWith("=?utf-8?B?", word, StringComparison.Ordinal);
            Assert.EndsWith("?=", word, StringComparison.Ordinal);
        });

        // Each word holds whole characters, so each decodes on its own (RFC 2047 section 5).
        var decoded = string.Concat(words.Select(w => Encoding.UTF8.GetString(Convert.FromBase64String(w["=?utf-8?B?".Length..^2]))));
        Assert.Equal(subject, decoded);
    }
}
