using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class SubmissionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Area Watershed = Area.Create(AreaLevel.Watershed, null, "pomacanchi", "Pomacanchi", null, Now);

    private static readonly ColumnMapping Water = new(["_uuid"], "community", "hh", null, "date", new Dictionary<string, string> { ["custom.water_minutes"] = "water_min" });

    private static readonly FormColumns WaterForm = FormColumns.Of(Water, LcsStrategies.Default);

    private static CustomIndicator Share(string code) => CustomIndicator.Define(Watershed.Id, code, "Water within 30 minutes", "% of households", Direction.HigherIsBetter,
        new CustomDefinition(CustomAggregation.ShareMeetingCondition, new Condition(ComparisonOperator.LessThanOrEqual, 30m), "custom.water_minutes"), Now);

    private static Submission Stored(string minutes)
    {
        var household = new HouseholdSubmission("s-1", "round", "manzanares", "hh-1", null, new DateOnly(2025, 11, 3), new Dictionary<string, string> { ["water_min"] = minutes });
        var area = Guid.CreateVersion7();
        var batch = ImportBatch.Record(Guid.CreateVersion7(), ImportSource.File, 1, "facilitator@test", Now);
        return Submission.Store(batch, new PlannedRow(1, household, area, IngestPlanner.Fingerprint(household, area), [new StoredScore("FCS", 39m, "acceptable", [])]), Now);
    }

    [Fact]
    public void A_round_takes_a_watershed_and_a_valid_mapping_named_under_column_mapping()
    {
        var district = Area.Create(AreaLevel.District, Watershed, "080806", "Pomacanchi", null, Now);
        var broken = Water with { AreaColumn = "com\tunity", AnswerColumns = new Dictionary<string, string> { ["fcs.bogus"] = "x" } };

        Assert.Null(SurveyRound.Create(Watershed, "2025Q4", FcsCutoffs.Standard2135, null, null, Now).ColumnMapping);
        Assert.Null(SurveyRound.Create(Watershed, "2025Q4", FcsCutoffs.Standard2135, ColumnMapping.Empty, null, Now).ColumnMapping);
        Assert.Equal("watershed_id", Assert.Single(Assert.Throws<InvalidArgumentException>(() => SurveyRound.Create(district, "2025Q4", FcsCutoffs.Standard2135, null, null, Now)).Violations).Field);
        Assert.Equal(["column_mapping.area_column", "column_mapping.answer_columns[fcs.bogus]"],
            Assert.Throws<InvalidArgumentException>(() => SurveyRound.Create(Watershed, "2025Q4", FcsCutoffs.Standard2135, broken, null, Now)).Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_partial_mapping_is_merged_over_the_default()
    {
        var form = SurveyRound.Create(Watershed, "2025Q4", FcsCutoffs.Standard2135, ColumnMapping.Empty with { AreaColumn = "comunidad" }, null, Now).Form;

        Assert.Equal(["_uuid", "meta/instanceID"], form.SubmissionIdColumns);
        Assert.Equal(("comunidad", "household_id", (string?)null, "interview_date"), (form.AreaColumn, form.HouseholdColumn, form.WeightColumn, form.InterviewDateColumn));
        Assert.Equal(FormColumns.Default.Answers.Select(a => (a.Field, a.Columns)), form.Answers.Select(a => (a.Field, a.Columns)));
    }

    [Fact]
    public void A_stored_submission_carries_its_scores_placed_and_weighted_as_it_is()
    {
        var submission = Stored("12");

        var score = Assert.Single(submission.Scores);
        Assert.Equal((submission.Id, "FCS", submission.SurveyRoundId, submission.AreaId, submission.InterviewDate, (decimal?)null, (decimal?)39m, "acceptable"),
            (score.SubmissionRowId, score.IndicatorCode, score.SurveyRoundId, score.AreaId, score.InterviewDate, score.Weight, score.Value, score.Category));
    }

    [Fact]
    public void A_batch_is_removed_once_with_what_is_left_of_it_and_the_removal_records_who_when_and_why()
    {
        var round = Guid.CreateVersion7();
        var batch = ImportBatch.Record(round, ImportSource.Stream, 3, "facilitator@test", Now);
        var area = Guid.CreateVersion7();
        RemovedHousehold Household(string id, int row) => new(Guid.CreateVersion7(), id, area, new DateOnly(2025, 11, 3), Now, row, batch.Id);

        var removal = batch.Remove([Household("s-3", 3), Household("s-1", 1)], "facilitator@test", "otra comunidad", Now.AddDays(1));

        Assert.Equal((round, (Guid?)batch.Id, "facilitator@test", "otra comunidad", Now.AddDays(1)), (removal.SurveyRoundId, removal.ImportBatchId, removal.RemovedBy, removal.Reason, removal.RemovedAt));
        Assert.Equal(["s-1", "s-3"], removal.SubmissionIds);
        Assert.Equal([area], removal.AreaIds);
        Assert.Equal(removal.Id, batch.RemovalId);
        Assert.Equal("IMPORT_BATCH_REMOVED", Assert.Throws<PreconditionFailedException>(() => batch.Remove([], "facilitator@test", "otra vez", Now)).Type);
        Assert.Throws<ArgumentException>(() => ImportBatch.Record(round, ImportSource.File, 1, "x", Now).Remove([Household("s-2", 2)], "x", "y", Now));
    }

    [Theory]
    [InlineData("12", 12, "meets", new string[0])]
    [InlineData("45", 45, "does_not_meet", new string[0])]
    [InlineData("", null, null, new[] { "custom.water_minutes" })]
    // Accepted long ago, an answer the new indicator cannot read counts as missing rather than refusing the household.
    [InlineData("lejos", null, null, new[] { "custom.water_minutes" })]
    public void A_stored_household_is_scored_on_an_indicator_defined_later(string minutes, int? value, string? category, string[] missing)
    {
        var submission = Stored(minutes);

        var score = submission.ScoreOn(Share("WATER_30"), WaterForm);

        Assert.Equal(((decimal?)value, category), (score.Value, score.Category));
        Assert.Equal(missing, score.MissingFields);
        Assert.Equal(["FCS", "WATER_30"], submission.Scores.Select(s => s.IndicatorCode));
        Assert.Throws<InvalidOperationException>(() => submission.ScoreOn(Share("WATER_30"), WaterForm));
    }
}
