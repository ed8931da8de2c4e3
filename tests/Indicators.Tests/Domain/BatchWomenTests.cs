using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

/// <summary>The join of a repeat group's sheet to its households, and what a household's women add to its identity.</summary>
public sealed class BatchWomenTests
{
    private static readonly FormColumns Form = FormColumns.Of(null, LcsStrategies.Default);

    private static CsvTable Parse(string text) => KoboCsv.Read(new StringReader(text));

    private static readonly CsvTable Households = Parse(
        "\"_index\";\"_uuid\";\"community_id\";\"household_id\";\"interview_date\";\"FCSStap\"\n"
        + "\"10\";\"aaa\";\"c\";\"h1\";\"2025-11-03\";\"7\"\n"
        + "\"11\";\"uuid:bbb\";\"c\";\"h2\";\"2025-11-03\";\"7\"\n");

    [Fact]
    public void Women_join_by_submission_uuid_with_or_without_uuid_prefix_else_by_parent_index()
    {
        var women = Parse(
            "\"_index\";\"women/MDDWAge\";\"_parent_index\";\"_SUBMISSION__UUID\"\n"
            + "\"1\";\"20\";\"\";\"uuid:aaa\"\n"   // uuid with ODK's prefix → row 1
            + "\"2\";\"21\";\"\";\"bbb\"\n"        // bare uuid of a row written "uuid:bbb" → row 2
            + "\"3\";\"22\";\"10\";\"\"\n"         // no uuid: _parent_index 10 → row 1
            + "\"4\";\"23\";\"99\";\"\"\n"         // an index no household has: orphan
            + "\"5\";\"24\";\"\";\"\"\n");         // names nothing

        var joined = BatchWomen.JoinFile(women, Households, Form);

        Assert.True(joined.Present);
        Assert.Empty(joined.SheetFaults);
        Assert.Equal([1, 3], joined.Of(1).Select(w => w.ErrorRow));
        Assert.Equal([2], joined.Of(2).Select(w => w.ErrorRow));
        Assert.Equal([(4, "women_csv:_parent_index"), (5, "women_csv:*")], joined.Errors.Select(e => (e.Row, e.Field)));
        // The join columns (matched ignoring case) are not a woman's answers.
        Assert.Equal(["_index", "women/MDDWAge"], joined.Of(1)[0].Values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["_index", "women/MDDWAge"], joined.Headers);
    }

    [Fact]
    public void A_sheet_without_either_join_column_is_a_fault_of_its_header()
    {
        var joined = BatchWomen.JoinFile(Parse("\"_index\";\"MDDWAge\"\n\"1\";\"20\"\n"), Households, Form);
        Assert.Equal([(0, "women_csv:*")], joined.SheetFaults.Select(e => (e.Row, e.Field)));
    }

    [Fact]
    public void Women_make_a_household_other_content_but_not_their_column_order()
    {
        var household = new HouseholdSubmission("aaa", "r", "c", "h1", null, new DateOnly(2025, 11, 3), new Dictionary<string, string> { ["FCSStap"] = "7" });
        var area = Guid.CreateVersion7();
        var one = household with { Women = [new Dictionary<string, string> { ["MDDWAge"] = "20", ["MDDWEgg"] = "1" }] };
        var reordered = household with { Women = [new Dictionary<string, string> { ["MDDWEgg"] = "1", ["MDDWAge"] = "20" }] };
        var other = household with { Women = [new Dictionary<string, string> { ["MDDWAge"] = "20", ["MDDWEgg"] = "0" }] };
        var two = household with { Women = [.. one.Women, .. one.Women] };

        var none = IngestPlanner.Fingerprint(household, area);
        Assert.Equal(IngestPlanner.Fingerprint(one, area), IngestPlanner.Fingerprint(reordered, area));
        Assert.Equal(4, new[] { none, IngestPlanner.Fingerprint(one, area), IngestPlanner.Fingerprint(other, area), IngestPlanner.Fingerprint(two, area) }.Distinct().Count());
    }
}
