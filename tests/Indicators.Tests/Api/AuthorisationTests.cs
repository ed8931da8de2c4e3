using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>Real token validation, and scope by watershed code on every call.</summary>
public sealed class AuthorisationTests : PostgresApiTest
{
    private Task<GetAggregateResponse> Read(Clients clients) =>
        clients.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.District.Id, Period = "2025Q4" }).ResponseAsync;

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated()
    {
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () => Read(App.ClientsFor(null)));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            IngestTests.UploadAsync(App.ClientsFor(null), new SurveyRound { Id = Guid.CreateVersion7().ToString() }, ImportMode.AllOrNothing, Households.Baseline()));
    }

    [Fact]
    public async Task Another_watersheds_facilitator_is_denied_and_writes_nothing()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var outsider = App.ClientsFor(TestTokens.Facilitator("cachora"));
        var before = await App.SnapshotAsync();

        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () => Read(outsider));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            outsider.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = "pomacanchi" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            outsider.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = S.District.Id, Code = "intrusa", Name = "Intrusa" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            outsider.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = Google.Protobuf.ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Baseline())) }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            IngestTests.UploadAsync(outsider, round, ImportMode.AllOrNothing, Households.Baseline()));

        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task Viewers_read_but_cannot_write()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var before = await App.SnapshotAsync();

        Assert.Equal(0, (await Read(S.Viewer)).Aggregate.N);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            S.Viewer.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = Google.Protobuf.ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Baseline())) }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            S.Viewer.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = S.Watershed.Id, Name = "x", FcsCutoffs = FcsCutoffs.Standard2135 }).ResponseAsync);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task Duplicates_are_already_exists_and_write_nothing()
    {
        await S.FcsRoundAsync("2025Q4");
        var before = await App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => S.FcsRoundAsync("2025Q4"));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = S.District.Id, Code = "manzanares", Name = "Otra" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            S.Admin.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "pomacanchi", Name = "Otra" }).ResponseAsync);
        Assert.Equal(before, await App.SnapshotAsync());
    }
}
