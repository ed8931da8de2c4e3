using System.Globalization;
using Watershed.Common.V1;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>
/// Offset paging behind an opaque token. Lists are ordered by a stable key (creation time, id),
/// so an offset is good enough for the list sizes a watershed has.
/// </summary>
public readonly record struct Page(int Offset, int Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    /// <summary>Reads the page of a list request; violations join the request's other ones.</summary>
    public static Page From(PageRequest? request, Validation validation, string field = "page")
    {
        if (request is null)
        {
            return new Page(0, DefaultSize);
        }

        validation.Check(request.PageSize >= 0, $"{field}.page_size", "must not be negative");
        var offset = 0;
        if (!string.IsNullOrEmpty(request.PageToken))
        {
            if (!TryDecode(request.PageToken, out offset))
            {
                validation.Add($"{field}.page_token", "is not a token this service issued");
            }
        }

        var size = request.PageSize <= 0 ? DefaultSize : Math.Min(request.PageSize, MaxSize);
        return new Page(offset, size);
    }

    /// <summary>Asks for one more row than the page so the next token is issued only when there is more.</summary>
    public int Take => Size + 1;

    public PageResponse Next<T>(List<T> fetched)
    {
        if (fetched.Count <= Size)
        {
            return new PageResponse();
        }

        fetched.RemoveAt(fetched.Count - 1);
        return new PageResponse { NextPageToken = Encode(Offset + Size) };
    }

    private static string Encode(int offset) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecode(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("o:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
