using System.Security.Claims;
using Watershed.ServiceDefaults.Security;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// docs/authorization.md as a whole: every service has its table, each parses, each rule named in a row is explained in
/// the rules table and means the same cells wherever it is named. (Each service's AuthorizationMatrixTests drive its
/// table's rows through the real API.)
/// </summary>
public sealed class AuthorizationDocumentTests
{
    [Fact]
    public void Every_service_has_a_table()
    {
        var tables = AuthorizationMatrix.LoadAll();
        Assert.Equal(["consultation", "indicators", "landuse", "notifications"], tables.Select(t => t.Service).Order(StringComparer.Ordinal));
        Assert.All(tables, t => Assert.NotEmpty(t.Rows));
    }

    [Fact]
    public void Rows_of_one_rule_have_the_same_cells_in_every_table_and_the_rule_is_explained()
    {
        var text = File.ReadAllText(AuthorizationMatrix.DocumentPath());
        var problems = new List<string>();
        foreach (var rule in AuthorizationMatrix.LoadAll().SelectMany(t => t.Rows.Select(r => (t.Service, Row: r))).GroupBy(x => x.Row.Rule))
        {
            if (!text.Contains($"\n| {rule.Key} |", StringComparison.Ordinal))
            {
                problems.Add($"Rule '{rule.Key}' is named by rows but not explained in the rules table.");
            }

            var first = rule.First();
            foreach (var (service, row) in rule.Skip(1))
            {
                var differing = AuthorizationMatrix.Callers.Where(c => row.Cells[c] != first.Row.Cells[c]).ToList();
                if (differing.Count > 0)
                {
                    problems.Add($"{service} {row.Name} follows '{rule.Key}' but differs from {first.Service} {first.Row.Name} for {string.Join(", ", differing)}.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_malformed_table_is_refused_with_its_lines()
    {
        var header = "| RPC | " + string.Join(" | ", AuthorizationMatrix.Callers) + " | Rule |";
        var cells = string.Join(" | ", AuthorizationMatrix.Callers.Select(_ => "ok"));
        var markdown = string.Join('\n',
            "# Title", "<!-- matrix: sample -->", header, "|---|",
            $"| `SampleService/Good` | {cells} | open |",
            $"| `SampleService/Bad` | {cells.Replace("ok | ok", "ok | maybe", StringComparison.Ordinal)} | open |",
            $"| SampleService/NoBackticks | {cells} | open |",
            $"| `SampleService/Short` | ok | open |",
            $"| `SampleService/Good` | {cells} | open |");

        var error = Assert.Throws<FormatException>(() => AuthorizationMatrix.Parse(markdown, "sample"));

        Assert.Contains("Line 6, column facilitator: 'maybe' is not ok", error.Message, StringComparison.Ordinal);
        Assert.Contains("Line 7: the first cell must be `Service/Method`", error.Message, StringComparison.Ordinal);
        Assert.Contains("Line 8: 3 cells, 14 expected.", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 rows named SampleService/Good", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AuthorizationMatrix.Parse(markdown, "missing"));
    }

    [Fact]
    public void A_cell_reads_as_own_and_other_watershed()
    {
        var header = "| RPC | " + string.Join(" | ", AuthorizationMatrix.Callers) + " | Rule |";
        var cells = string.Join(" | ", AuthorizationMatrix.Callers.Select((_, i) => i switch { 0 => "ok", 1 => "ok/PD", 2 => "NF", _ => "UA" }));
        var matrix = AuthorizationMatrix.Parse(string.Join('\n', "<!-- matrix: sample -->", header, "|---|", $"| `pkg.v1.SampleService/Get` (a variant) | {cells} | some rule |"), "sample");

        var row = Assert.Single(matrix.Rows);
        Assert.Equal(("pkg.v1.SampleService/Get", "a variant", "some rule"), (row.Rpc, row.Variant, row.Rule));
        Assert.Equal(new MatrixCell(MatrixOutcome.Allowed, MatrixOutcome.PermissionDenied), row.Cells["facilitator"]);
        Assert.Equal(new MatrixCell(MatrixOutcome.NotFound, MatrixOutcome.NotFound), row.Cells["member"]);
        Assert.True(row.Names("pkg.v1.SampleService/Get"));
        Assert.False(row.Names("other.pkg.v1.SampleService/GetAll"));
    }
}

/// <summary>The caller's roles and identities as the rules read them.</summary>
public sealed class CallerTests
{
    private static Caller Of(string subject, string[] roles, params string[] watersheds) => new(new ClaimsPrincipal(new ClaimsIdentity(
        [new Claim("sub", subject), .. roles.Select(r => new Claim("role", r)), .. watersheds.Select(w => new Claim("watershed", w))], "test")));

    [Fact]
    public void A_service_identity_is_no_reader_and_is_granted_only_by_its_name()
    {
        var landuse = Of("service:landuse", ["service"], "*");
        Assert.False(landuse.HasKnownRole);
        Assert.False(landuse.CanRead("pomacanchi"));
        Assert.True(landuse.IsService(ServiceIdentities.LandUse, "pomacanchi"));
        Assert.False(landuse.IsService(ServiceIdentities.Notifications, "pomacanchi"));

        // The name alone, without the role, or the role under another subject, is no service identity.
        Assert.False(Of("service:landuse", ["viewer"], "*").IsService(ServiceIdentities.LandUse, "pomacanchi"));
        Assert.False(Of("landuse", ["service"], "*").IsService(ServiceIdentities.LandUse, "pomacanchi"));
        Assert.False(Of("service:landuse", ["service"], "cachora").IsService(ServiceIdentities.LandUse, "pomacanchi"));
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("facilitator", true)]
    [InlineData("member", true)]
    [InlineData("viewer", true)]
    [InlineData("analyst", true)]
    [InlineData("auditor", false)]
    [InlineData("service", false)]
    public void Reading_needs_a_persons_role(string role, bool reads)
    {
        Assert.Equal(reads, Of("someone", [role], "pomacanchi").CanRead("pomacanchi"));
        Assert.False(Of("someone", [role], "cachora").CanRead("pomacanchi") && role != "admin");
    }
}
