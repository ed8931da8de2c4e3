using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class DietaryDiversityTests
{
    private static readonly HddsAnswers NoGroup = new()
    {
        Cereals = false, RootsTubers = false, Vegetables = false, Fruits = false, Meat = false, Eggs = false,
        Fish = false, Legumes = false, Dairy = false, Oils = false, Sweets = false, Condiments = false,
    };

    private static readonly MddwAnswers Woman = new()
    {
        Age = 30, GrainsRoots = false, Pulses = false, NutsSeeds = false, Dairy = false, MeatFish = false, Eggs = false,
        DarkGreenLeafy = false, VitaminAFruitVegetables = false, OtherVegetables = false, OtherFruits = false,
    };

    [Fact]
    public void Hdds_counts_the_groups_eaten()
    {
        // cereals, tubers, legumes, oils = 4 groups → IPC phase 3 band
        var result = HouseholdDietaryDiversity.Score(NoGroup with { Cereals = true, RootsTubers = true, Legumes = true, Oils = true });

        Assert.Equal(4, result.Value!.Value);
        Assert.Equal("ipc_3", result.Value.PhaseBand);
    }

    [Theory]
    [InlineData(0, "ipc_4_5")]
    [InlineData(2, "ipc_4_5")]
    [InlineData(3, "ipc_3")]
    [InlineData(4, "ipc_3")]
    [InlineData(5, "ipc_1_2")]
    [InlineData(12, "ipc_1_2")]
    public void Hdds_maps_to_wfp_phase_bands(int hdds, string band) =>
        Assert.Equal(band, HouseholdDietaryDiversity.PhaseBand(hdds));

    [Fact]
    public void Hdds_with_a_missing_group_is_missing()
    {
        var result = HouseholdDietaryDiversity.Score(NoGroup with { Fish = null });

        Assert.Equal(["hdds.fish"], result.MissingFields);
    }

    [Theory]
    // 4 groups: not achieved; 5 groups: achieved (minimum is ≥ 5).
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void Mddw_is_achieved_from_five_groups(int groups, bool achieved)
    {
        var answers = Woman with
        {
            GrainsRoots = true, Pulses = true, Dairy = true, Eggs = true, DarkGreenLeafy = groups >= 5,
        };

        var result = MinimumDietaryDiversityWomen.Score(answers);

        Assert.Equal(groups, result.Value!.Groups);
        Assert.Equal(achieved, result.Value.Achieved);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(50)]
    public void Mddw_for_a_woman_outside_15_to_49_is_rejected_naming_the_age(int age)
    {
        var result = MinimumDietaryDiversityWomen.Score(Woman with { Age = age });

        Assert.Equal("mddw.age", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(49)]
    public void Mddw_accepts_women_aged_15_and_49(int age) =>
        Assert.Equal(0, MinimumDietaryDiversityWomen.Score(Woman with { Age = age }).Value!.Groups);

    [Fact]
    public void Mddw_without_age_is_missing()
    {
        var result = MinimumDietaryDiversityWomen.Score(Woman with { Age = null });

        Assert.True(result.IsMissing);
        Assert.Equal(["mddw.age"], result.MissingFields);
    }
}
