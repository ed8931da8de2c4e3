using System.Text.RegularExpressions;

namespace Watershed.Testing;

/// <summary>What a caller gets from an RPC in the matrix of docs/authorization.md.</summary>
public enum MatrixOutcome
{
    /// <summary><c>ok</c>: the call got past authorisation (see <see cref="AuthorizationMatrix.IsPastAuthorisation"/>).</summary>
    Allowed,

    /// <summary><c>UA</c>: UNAUTHENTICATED.</summary>
    Unauthenticated,

    /// <summary><c>PD</c>: PERMISSION_DENIED.</summary>
    PermissionDenied,

    /// <summary><c>NF</c>: NOT_FOUND, where the house answers another watershed's id as unknown.</summary>
    NotFound,
}

/// <summary>One caller's outcome on a row: for a token of the object's own watershed and for one of another watershed.</summary>
public sealed record MatrixCell(MatrixOutcome Own, MatrixOutcome Other)
{
    public override string ToString() => Own == Other ? AuthorizationMatrix.Code(Own) : $"{AuthorizationMatrix.Code(Own)}/{AuthorizationMatrix.Code(Other)}";
}

/// <summary>
/// One row of a service's table: an RPC (as <c>Service/Method</c>, or with its package when another package has a
/// service of that name), optionally a variant of its request in parentheses, the rule's name, and a cell per caller.
/// </summary>
public sealed record MatrixRow(string Rpc, string? Variant, string Rule, IReadOnlyDictionary<string, MatrixCell> Cells)
{
    /// <summary>The row as the test's cases name it: <c>ProposalService/CastVote</c> or <c>ProposalService/CastVote (another member)</c>.</summary>
    public string Name => Variant is null ? Rpc : $"{Rpc} ({Variant})";

    /// <summary>Whether <paramref name="fullName"/> (<c>package.Service/Method</c>) is this row's RPC.</summary>
    public bool Names(string fullName) =>
        string.Equals(fullName, Rpc, StringComparison.Ordinal) || fullName.EndsWith("." + Rpc, StringComparison.Ordinal);
}

/// <summary>
/// The authorisation matrix of one service, read from its table in docs/authorization.md (the one place it is written):
/// the table follows the line <c>&lt;!-- matrix: &lt;service&gt; --&gt;</c>. Columns: the RPC, one per caller, and the rule.
/// A cell is <c>ok</c>, <c>UA</c>, <c>PD</c> or <c>NF</c>, or two of them as <c>own/other</c>.
/// </summary>
public sealed partial class AuthorizationMatrix
{
    public const string Anonymous = "anonymous";

    /// <summary>The callers every table has, in this order (docs/authorization.md says what token each carries).</summary>
    public static readonly IReadOnlyList<string> Callers =
    [
        "admin", "facilitator", "member", "viewer", "analyst", "no role", "unknown role",
        "service:consultation", "service:landuse", "service:indicators", "service:notifications", Anonymous,
    ];

    private AuthorizationMatrix(string service, IReadOnlyList<MatrixRow> rows)
    {
        Service = service;
        Rows = rows;
    }

    public string Service { get; }

    public IReadOnlyList<MatrixRow> Rows { get; }

    /// <summary>The table of <paramref name="service"/> in docs/authorization.md of the repository the tests run from.</summary>
    public static AuthorizationMatrix Load(string service) => Parse(File.ReadAllText(DocumentPath()), service);

    /// <summary>The whole document's tables, for checks across services.</summary>
    public static IReadOnlyList<AuthorizationMatrix> LoadAll()
    {
        var text = File.ReadAllText(DocumentPath());
        return [.. MarkerPattern().Matches(text).Select(m => Parse(text, m.Groups[1].Value))];
    }

    public static string DocumentPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "authorization.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Watershed.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/authorization.md was not found above the test's directory.");
    }

    /// <summary>Reads the table after <c>&lt;!-- matrix: service --&gt;</c>; any malformed line fails with its number.</summary>
    public static AuthorizationMatrix Parse(string markdown, string service)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var marker = lines.FindIndex(l => l.Trim() == $"<!-- matrix: {service} -->");
        if (marker < 0)
        {
            throw new FormatException($"docs/authorization.md has no table marked <!-- matrix: {service} -->.");
        }

        var start = marker + 1;
        while (start < lines.Count && lines[start].Trim().Length == 0)
        {
            start++;
        }

        var header = Split(lines.ElementAtOrDefault(start) ?? string.Empty);
        var expected = new[] { "RPC" }.Concat(Callers).Append("Rule").ToList();
        if (!header.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new FormatException($"Line {start + 1}: the {service} table's columns must be: {string.Join(" | ", expected)}; found: {string.Join(" | ", header)}.");
        }

        var errors = new List<string>();
        var rows = new List<MatrixRow>();
        for (var i = start + 2; i < lines.Count && lines[i].TrimStart().StartsWith('|'); i++)
        {
            var cells = Split(lines[i]);
            if (cells.Count != expected.Count)
            {
                errors.Add($"Line {i + 1}: {cells.Count} cells, {expected.Count} expected.");
                continue;
            }

            var name = RpcPattern().Match(cells[0]);
            if (!name.Success)
            {
                errors.Add($"Line {i + 1}: the first cell must be `Service/Method`, optionally followed by (a variant); found '{cells[0]}'.");
                continue;
            }

            var byCaller = new Dictionary<string, MatrixCell>(StringComparer.Ordinal);
            for (var c = 0; c < Callers.Count; c++)
            {
                if (TryCell(cells[c + 1], out var cell))
                {
                    byCaller[Callers[c]] = cell;
                }
                else
                {
                    errors.Add($"Line {i + 1}, column {Callers[c]}: '{cells[c + 1]}' is not ok, UA, PD or NF (or two of them as own/other).");
                }
            }

            var variant = name.Groups["variant"].Success ? name.Groups["variant"].Value.Trim() : null;
            rows.Add(new MatrixRow(name.Groups["rpc"].Value, variant, cells[^1].Trim('`', ' '), byCaller));
        }

        foreach (var duplicate in rows.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"The {service} table has {duplicate.Count()} rows named {duplicate.Key}.");
        }

        if (errors.Count > 0)
        {
            throw new FormatException($"docs/authorization.md, {service} table:\n" + string.Join("\n", errors));
        }

        return new AuthorizationMatrix(service, rows);
    }

    /// <summary>The same matrix with one row replaced or removed (<paramref name="row"/> null): for the tests that prove a wrong table fails.</summary>
    public AuthorizationMatrix With(string name, MatrixRow? row) =>
        new(Service, [.. Rows.Select(r => r.Name == name ? row : r).OfType<MatrixRow>()]);

    /// <summary>
    /// Whether an answer shows the call got past authorisation: OK, or a decision on the request itself (ALREADY_EXISTS,
    /// FAILED_PRECONDITION, ABORTED), UNIMPLEMENTED (an AppCallback method no service implements) or UNAVAILABLE (a service it
    /// had to ask did not answer). INVALID_ARGUMENT is not: the case's request would be wrong, and nothing would be proven.
    /// </summary>
    public static bool IsPastAuthorisation(Grpc.Core.StatusCode status) => status is Grpc.Core.StatusCode.OK
        or Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.FailedPrecondition or Grpc.Core.StatusCode.Aborted
        or Grpc.Core.StatusCode.Unimplemented or Grpc.Core.StatusCode.Unavailable;

    public static string Code(MatrixOutcome outcome) => outcome switch
    {
        MatrixOutcome.Allowed => "ok",
        MatrixOutcome.Unauthenticated => "UA",
        MatrixOutcome.PermissionDenied => "PD",
        MatrixOutcome.NotFound => "NF",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static bool TryOutcome(string code, out MatrixOutcome outcome)
    {
        (var known, outcome) = code.Trim() switch
        {
            "ok" => (true, MatrixOutcome.Allowed),
            "UA" => (true, MatrixOutcome.Unauthenticated),
            "PD" => (true, MatrixOutcome.PermissionDenied),
            "NF" => (true, MatrixOutcome.NotFound),
            _ => (false, MatrixOutcome.Allowed),
        };
        return known;
    }

    private static bool TryCell(string text, out MatrixCell cell)
    {
        var parts = text.Split('/');
        cell = null!;
        if (parts.Length is < 1 or > 2 || !TryOutcome(parts[0], out var own))
        {
            return false;
        }

        var other = own;
        if (parts.Length == 2 && !TryOutcome(parts[1], out other))
        {
            return false;
        }

        cell = new MatrixCell(own, other);
        return true;
    }

    private static List<string> Split(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.StartsWith('|') || !trimmed.EndsWith('|') || trimmed.Length < 2)
        {
            return [];
        }

        return [.. trimmed[1..^1].Split('|').Select(c => c.Trim())];
    }

    [GeneratedRegex(@"^`(?<rpc>[A-Za-z0-9_.]+/[A-Za-z0-9_]+)`(\s*\((?<variant>[^)]+)\))?$")]
    private static partial Regex RpcPattern();

    [GeneratedRegex(@"<!-- matrix: ([a-z]+) -->")]
    private static partial Regex MarkerPattern();
}
