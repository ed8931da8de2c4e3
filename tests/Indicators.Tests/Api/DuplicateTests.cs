using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The Pomacanchi scenario with a round of households.</summary>
public sealed class DuplicateFixture : IAsyncLifetime
{
    public IndicatorsApp App { get; private set; } = null!;

    public Scenario S { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await IndicatorsApp.OnPostgresAsync();
        S = await Scenario.CreateAsync(App);
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>A second create of a name or code a watershed has is ALREADY_EXISTS and changes nothing. Who may call what: <see cref="AuthorizationMatrixTests"/>.</summary>
public sealed class DuplicateTests(DuplicateFixture fixture) : IClassFixture<DuplicateFixture>
{
    [Fact]
    public async Task Duplicates_are_already_exists_and_change_nothing()
    {
        var before = await fixture.App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => fixture.S.FcsRoundAsync("2025Q4"));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            fixture.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = fixture.S.District.Id, Code = "manzanares", Name = "Otra" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            fixture.S.Admin.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "pomacanchi", Name = "Otra" }).ResponseAsync);
        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }
}
