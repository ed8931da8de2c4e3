using Watershed.Testing;
using Model = Watershed.LandUse.Domain;

namespace Watershed.LandUse.Tests.Grpc;

/// <summary>Each domain enum is its proto enum's twin (names and numbers), so mapping by number is exact.</summary>
public sealed class EnumTwinsTests
{
    [Fact]
    public void PlanVersionState() => EnumTwins.AssertTwins<V1.PlanVersionState, Model.PlanVersionState>();

    [Fact]
    public void ZeeCategory() => EnumTwins.AssertTwins<V1.ZeeCategory, Model.ZeeCategory>();

    [Fact]
    public void ZeeSubcategory() => EnumTwins.AssertTwins<V1.ZeeSubcategory, Model.ZeeSubcategory>();

    [Fact]
    public void UseRating() => EnumTwins.AssertTwins<V1.UseRating, Model.UseRating>();

    [Fact]
    public void LayerFormat() => EnumTwins.AssertTwins<V1.LayerFormat, Model.Exchange.LayerFormat>();

    [Fact]
    public void ZoneChangeKind() => EnumTwins.AssertTwins<V1.ZoneChangeKind, Model.ZoneChangeKind>();
}
