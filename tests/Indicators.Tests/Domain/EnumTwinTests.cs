using Watershed.Testing;

namespace Watershed.Indicators.Tests.Domain;

/// <summary>Every proto enum of the indicators contract has its domain twin: same names, same numbers, no zero.</summary>
public sealed class EnumTwinTests
{
    [Fact]
    public void Area_level() => EnumTwins.AssertTwins<V1.AreaLevel, Indicators.Domain.Areas.AreaLevel>();

    [Fact]
    public void Direction() => EnumTwins.AssertTwins<V1.Direction, Indicators.Domain.Direction>();

    [Fact]
    public void Comparison_operator() => EnumTwins.AssertTwins<V1.ComparisonOperator, Indicators.Domain.ComparisonOperator>();

    [Fact]
    public void Custom_aggregation() => EnumTwins.AssertTwins<V1.CustomAggregation, Indicators.Domain.Custom.CustomAggregation>();

    [Fact]
    public void Period_type() => EnumTwins.AssertTwins<V1.PeriodType, Indicators.Domain.Aggregation.PeriodType>();

    [Fact]
    public void Fcs_cutoffs() => EnumTwins.AssertTwins<V1.FcsCutoffs, Indicators.Domain.Standard.FcsCutoffs>();

    [Fact]
    public void Import_mode() => EnumTwins.AssertTwins<V1.ImportMode, Indicators.Domain.Ingest.ImportMode>();

    [Fact]
    public void Interview_date_format() => EnumTwins.AssertTwins<V1.InterviewDateFormat, Indicators.Domain.Ingest.InterviewDateFormat>();

    [Fact]
    public void Nutrient_frequency() => EnumTwins.AssertTwins<V1.NutrientFrequency, Indicators.Domain.Standard.NutrientFrequency>();

    [Fact]
    public void Alert_state() => EnumTwins.AssertTwins<V1.AlertState, Indicators.Domain.Tracking.AlertState>();
}
