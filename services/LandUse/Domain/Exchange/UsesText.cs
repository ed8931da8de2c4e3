using System.Text;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A zone's uses as one text value, for layers whose attributes are text (a Shapefile or GeoPackage column, KML's
/// SimpleData): entries "use: rating" separated by semicolons, e.g. "pastoreo: recommended; minería: not_recommended".
/// The rating is what follows the entry's last colon (English or Spanish, as <see cref="Zee"/> reads it), so a use may
/// hold colons; a semicolon or backslash inside a use is written "\;" or "\\". Spaces around entries, uses and ratings do
/// not count, and empty entries (a trailing ";") are skipped. Exports write English ratings.
/// </summary>
public static class UsesText
{
    public const char Separator = ';';

    public static string Write(IEnumerable<AllowedUse> uses) =>
        string.Join("; ", uses.Select(u => $"{Escape(u.Use)}: {Zee.Name(u.Rating)}"));

    /// <summary>The entries of the text in order: each use with the rating's text, or null when the entry has no colon.</summary>
    public static IReadOnlyList<(string? Use, string? Rating)> Read(string text)
    {
        var entries = new List<(string?, string?)>();
        var entry = new StringBuilder();
        var lastColon = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == Separator)
            {
                Add(entries, entry.ToString(), lastColon);
                entry.Clear();
                lastColon = -1;
            }
            else if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is Separator or '\\')
            {
                entry.Append(text[++i]);
            }
            else
            {
                if (text[i] == ':')
                {
                    lastColon = entry.Length;
                }

                entry.Append(text[i]);
            }
        }

        return entries;
    }

    private static void Add(List<(string?, string?)> entries, string entry, int lastColon)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return;
        }

        entries.Add(lastColon < 0 ? (entry.Trim(), null) : (entry[..lastColon].Trim(), entry[(lastColon + 1)..].Trim()));
    }

    private static string Escape(string use) => use.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal);
}
