using Grpc.Core;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// Commands that race on one plan take turns on the plan's row lock, so the second decides on what the first
/// committed; creates that race on one watershed code meet the unique key. Each race is run a few times and
/// its invariant asserted exactly, whichever call wins.
/// </summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int Rounds = 4;
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Two_concurrent_StartPlanVersion_calls_open_exactly_one_version()
    {
        var code = "race-start";
        var plans = _app.Plans(TestTokens.Facilitator(code));
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app, code);
        var open = draft;
        for (var round = 0; round < Rounds; round++)
        {
            await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = open.Id });
            await plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = open.Id, Reason = "Otra vuelta" });

            var outcomes = await Task.WhenAll(
                Outcome(() => plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id }).ResponseAsync),
                Outcome(() => plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id }).ResponseAsync));

            var winner = Assert.Single(outcomes, o => o.Status == StatusCode.OK);
            Assert.Contains(Assert.Single(outcomes, o => o.Status != StatusCode.OK).Status, new[] { StatusCode.FailedPrecondition, StatusCode.Aborted });
            var versions = (await plans.ListPlanVersionsAsync(new ListPlanVersionsRequest { PlanId = plan.Id })).PlanVersions;
            Assert.Equal(round + 2, versions.Count);
            open = Assert.Single(versions, v => v.State is PlanVersionState.Draft or PlanVersionState.InConsultation);
            Assert.Equal((winner.Response!.PlanVersion.Id, round + 2, 4), (open.Id, open.Number, open.ZoneCount));
            Assert.Equal(open.Id, (await plans.GetPlanAsync(new GetPlanRequest { PlanId = plan.Id })).Plan.OpenVersionId);
        }
    }

    [Fact]
    public async Task A_zone_put_racing_the_submission_is_either_in_what_was_submitted_or_refused()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var code = $"race-submit-{round}";
            var plans = _app.Plans(TestTokens.Facilitator(code));
            var (_, _, draft) = await Sample.PlanWithZonesAsync(_app, code);

            var submit = Outcome(() => plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id }).ResponseAsync);
            var put = Outcome(() => plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)) }).ResponseAsync);
            var (submitted, putStatus) = (await submit, (await put).Status);

            Assert.Equal(StatusCode.OK, submitted.Status);
            Assert.Contains(putStatus, new[] { StatusCode.OK, StatusCode.FailedPrecondition });
            var stored = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
            // What went to consultation is exactly what is stored: a zone lands before the submission or not at all.
            var expected = putStatus == StatusCode.OK
                ? new[] { "PAS-1", "PROD-AGR-01", "PROT-CAB-01", "PROT-HUM-01", "REC-01" }
                : ["PROD-AGR-01", "PROT-CAB-01", "PROT-HUM-01", "REC-01"];
            Assert.Equal(expected, submitted.Response!.PlanVersion.Zones.Select(z => z.Content.ZoneCode));
            Assert.Equal(expected, stored.Zones.Select(z => z.Content.ZoneCode));
            Assert.Equal(PlanVersionState.InConsultation, stored.State);
        }
    }

    [Fact]
    public async Task Two_concurrent_creates_of_one_watershed_code_store_one_and_answer_ALREADY_EXISTS_to_the_other()
    {
        var admin = _app.Watersheds(TestTokens.Admin());
        for (var round = 0; round < Rounds; round++)
        {
            var code = $"race-create-{round}";
            var request = new CreateWatershedUnitRequest { Code = code, Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary };

            var outcomes = await Task.WhenAll(
                Outcome(() => admin.CreateWatershedUnitAsync(request).ResponseAsync),
                Outcome(() => admin.CreateWatershedUnitAsync(request).ResponseAsync));

            var created = Assert.Single(outcomes, o => o.Status == StatusCode.OK).Response!.WatershedUnit;
            Assert.Equal(StatusCode.AlreadyExists, Assert.Single(outcomes, o => o.Status != StatusCode.OK).Status);
            var listed = (await admin.ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits.Where(u => u.Code == code);
            Assert.Equal([created.Id], listed.Select(u => u.Id));
        }
    }

    private static async Task<(StatusCode Status, T? Response)> Outcome<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return (StatusCode.OK, await call());
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, null);
        }
    }
}
