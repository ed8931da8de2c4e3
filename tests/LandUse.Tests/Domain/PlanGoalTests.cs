using Watershed.LandUse.Domain;

namespace Watershed.LandUse.Tests.Domain;

public sealed class PlanGoalTests
{
    private static readonly Guid PlanId = Guid.Parse("0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9");

    [Fact]
    public void A_goals_id_is_the_documented_hash_of_its_plan_and_text()
    {
        // Computed independently with Python's hashlib and uuid:
        // sha256(UUID('0190c2d4-…').bytes + 'Proteger las cabeceras de cuenca'.encode())[:16], version 8, RFC 9562 variant.
        Assert.Equal(Guid.Parse("8bdb7408-1d95-8996-ae3a-4d3c5a4d9f55"), PlanGoal.Of(PlanId, "Proteger las cabeceras de cuenca").Id);
    }

    [Fact]
    public void A_goal_keeps_its_id_while_its_text_is_unchanged_and_a_reworded_goal_is_a_new_one()
    {
        Assert.Equal(PlanGoal.Of(PlanId, "Recuperar laderas").Id, PlanGoal.Of(PlanId, "  Recuperar laderas ").Id);
        Assert.NotEqual(PlanGoal.Of(PlanId, "Recuperar laderas").Id, PlanGoal.Of(PlanId, "Recuperar laderas degradadas").Id);
        Assert.NotEqual(PlanGoal.Of(PlanId, "Recuperar laderas").Id, PlanGoal.Of(Guid.CreateVersion7(), "Recuperar laderas").Id);
    }
}
