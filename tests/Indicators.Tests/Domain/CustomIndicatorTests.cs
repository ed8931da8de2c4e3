using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Custom;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class CustomIndicatorTests
{
    private static readonly CustomDefinition MeanOfWaterMinutes = new(CustomAggregation.Mean, null, "custom.water_minutes");

    private static readonly CustomIndicator WaterMinutes = Define("WATER_MINUTES", MeanOfWaterMinutes);

    private static CustomIndicator Define(string code, CustomDefinition definition) =>
        CustomIndicator.Define(Guid.CreateVersion7(), code, "Minutes to the nearest water source", "minutes", Direction.LowerIsBetter, definition, DateTimeOffset.UnixEpoch);

    private static IEnumerable<string> Fields(string code, CustomDefinition definition, string name = "Water", string unit = "minutes") =>
        CustomIndicator.Validate(code, name, unit, Direction.LowerIsBetter, definition).Select(e => e.Field);

    [Fact]
    public void Valid_definition_has_no_errors()
    {
        Assert.Empty(Fields("WATER_MINUTES", MeanOfWaterMinutes));
        Assert.Equal(MeanOfWaterMinutes, WaterMinutes.Definition);
    }

    [Fact]
    public void Share_without_condition_and_bad_code_are_rejected_naming_the_fields_by_their_contract_path()
    {
        var share = MeanOfWaterMinutes with { Aggregation = CustomAggregation.ShareMeetingCondition };

        Assert.Equal(["code", "definition.condition"], Fields("water", share));
        var refused = Assert.Throws<InvalidArgumentException>(() => Define("water", share));
        Assert.Equal(["code", "definition.condition"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Custom_indicator_may_not_take_a_standard_code_or_a_non_custom_field()
    {
        Assert.Equal(["code", "definition.answer_field"], Fields("FCS", MeanOfWaterMinutes with { AnswerField = "fcs.pulses" }));
    }

    [Fact]
    public void A_condition_belongs_to_a_share_only_and_name_and_unit_are_bounded()
    {
        var meanWithCondition = MeanOfWaterMinutes with { Condition = new Condition(ComparisonOperator.LessThan, 30m) };

        Assert.Equal(["name", "unit", "definition.condition"], Fields("WATER", meanWithCondition, name: " ", unit: new string('m', 61)));
    }

    [Fact]
    public void Mean_is_weighted_and_missing_values_are_counted_apart()
    {
        // Σw = 1 + 3 = 4; Σwx = 1×10 + 3×30 = 100; mean = 25
        var result = WaterMinutes.Evaluate([new WeightedValue(10m, 1m), new WeightedValue(30m, 3m), new WeightedValue(null, 2m)]);

        Assert.Equal(new CustomAggregate("WATER_MINUTES", 25m, 2, 1, 4m), result);
    }

    [Fact]
    public void Sum_adds_values_times_weights()
    {
        var hectares = Define("IRRIGATED_HA", MeanOfWaterMinutes with { Aggregation = CustomAggregation.Sum });

        // unweighted: 0.5 + 1.5 + 2 = 4
        Assert.Equal(4m, hectares.Evaluate([new WeightedValue(0.5m, null), new WeightedValue(1.5m, null), new WeightedValue(2m, null)]).Value);
    }

    [Fact]
    public void Share_meeting_condition_is_a_weighted_percentage()
    {
        var farAway = Define("WATER_FAR", new CustomDefinition(CustomAggregation.ShareMeetingCondition, new Condition(ComparisonOperator.GreaterThanOrEqual, 30m), "custom.water_minutes"));

        // 30 meets (≥ 30, weight 1), 45 meets (weight 2), 10 does not (weight 5): (1 + 2) / 8 = 37.5 %
        var result = farAway.Evaluate([new WeightedValue(30m, 1m), new WeightedValue(45m, 2m), new WeightedValue(10m, 5m)]);

        Assert.Equal(37.5m, result.Value);
        Assert.Equal(3, result.N);
    }

    [Fact]
    public void Household_value_is_read_from_its_answer_field()
    {
        var sheet = new AnswerSheet([KeyValuePair.Create("custom.water_minutes", (string?)"12.5")]);

        Assert.Equal(12.5m, WaterMinutes.Read(sheet).Value!.Value);
        Assert.True(WaterMinutes.Read(AnswerSheet.Empty).IsMissing);
    }
}
