using System.Text;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Plan = Watershed.LandUse.Domain.Plan;
using PlanHorizon = Watershed.LandUse.Domain.PlanHorizon;
using PlanVersion = Watershed.LandUse.Domain.PlanVersion;
using WatershedUnit = Watershed.LandUse.Domain.WatershedUnit;
using Zone = Watershed.LandUse.Domain.Zone;
using ZoneContent = Watershed.LandUse.Domain.ZoneContent;

namespace Watershed.LandUse.Grpc;

public sealed class PlanGrpcService(LandUseDbContext db, ConsultationDecisions consultation, TimeProvider clock) : PlanService.PlanServiceBase
{
    public override async Task<CreatePlanResponse> CreatePlan(CreatePlanRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedUnitId, "watershed_unit_id");
        v.Check(request.Horizon is not null, "horizon", "is required");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedUnits.SingleOrDefaultAsync(w => w.Id == watershedId, ct)
            ?? throw new NotFoundException("watershed_unit", watershedId.ToString());
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var now = clock.GetUtcNow();
        var plan = Plan.Create(Guid.CreateVersion7(now), watershed, request.Title, Horizon(request.Horizon!), [.. request.Goals], Guid.CreateVersion7(now), now);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return new CreatePlanResponse { Plan = plan.ToContract(), FirstVersion = plan.Latest.ToContract() };
    }

    public override async Task<GetPlanResponse> GetPlan(GetPlanRequest request, ServerCallContext context)
    {
        var (plan, watershed) = await PlanAsync(request.PlanId, "plan_id", context);
        context.Caller().RequireRead(watershed.Code);
        return new GetPlanResponse { Plan = plan.ToContract() };
    }

    public override async Task<ListPlansResponse> ListPlans(ListPlansRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.OptionalId(request.WatershedUnitId, "watershed_unit_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var caller = context.Caller();
        var units = await db.WatershedUnits.AsNoTracking()
            .Where(w => watershedId == null || w.Id == watershedId)
            .Select(w => new { w.Id, w.Code }).ToListAsync(ct);
        if (watershedId is { } id)
        {
            var unit = units.SingleOrDefault() ?? throw new NotFoundException("watershed_unit", id.ToString());
            caller.RequireRead(unit.Code);
        }

        var visible = units.Where(u => caller.CanAccess(u.Code)).Select(u => u.Id).ToList();
        var plans = await db.Plans.AsNoTracking().AsSplitQuery().Include(p => p.Versions)
            .Where(p => visible.Contains(p.WatershedId))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListPlansResponse { Page = page.Next(plans) };
        response.Plans.AddRange(plans.Select(p => p.ToContract()));
        return response;
    }

    public override async Task<RetitlePlanResponse> RetitlePlan(RetitlePlanRequest request, ServerCallContext context)
    {
        var (plan, watershed) = await PlanAsync(request.PlanId, "plan_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        plan.Retitle(request.Title);
        await SaveAsync(plan, context.CancellationToken);
        return new RetitlePlanResponse { Plan = plan.ToContract() };
    }

    public override async Task<StartPlanVersionResponse> StartPlanVersion(StartPlanVersionRequest request, ServerCallContext context)
    {
        var (plan, watershed) = await PlanAsync(request.PlanId, "plan_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var now = clock.GetUtcNow();
        var draft = plan.StartNewVersion(Guid.CreateVersion7(now), now);
        await SaveAsync(plan, context.CancellationToken);
        return new StartPlanVersionResponse { PlanVersion = draft.ToContract() };
    }

    public override async Task<GetPlanVersionResponse> GetPlanVersion(GetPlanVersionRequest request, ServerCallContext context)
    {
        var (_, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().RequireRead(watershed.Code);
        return new GetPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<ListPlanVersionsResponse> ListPlanVersions(ListPlanVersionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanId, "plan_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var (plan, watershed) = await PlanAsync(request.PlanId, "plan_id", context);
        context.Caller().RequireRead(watershed.Code);
        var versions = plan.Versions.OrderBy(x => x.Number).Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListPlanVersionsResponse { Page = page.Next(versions) };
        response.PlanVersions.AddRange(versions.Select(x => x.ToContract(withZones: false)));
        return response;
    }

    public override async Task<RevisePlanVersionResponse> RevisePlanVersion(RevisePlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        v.Check(request.Horizon is not null, "horizon", "is required");
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        version.Revise(Horizon(request.Horizon!), [.. request.Goals]);
        await SaveAsync(plan, context.CancellationToken);
        return new RevisePlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<PutZoneResponse> PutZone(PutZoneRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        v.Check(request.Zone is not null, "zone", "is required");
        v.ThrowIfInvalid();
        var (geometry, fault) = GeometryJson.Parse(request.Zone!.GeometryGeojson, "zone.geometry_geojson");
        var content = new ZoneContent(
            request.Zone.ZoneCode, request.Zone.Name, (Domain.ZeeCategory)request.Zone.Category, (Domain.ZeeSubcategory)request.Zone.Subcategory,
            [.. request.Zone.Uses.Select(u => new Domain.AllowedUse(u.Use, (Domain.UseRating)u.Rating))], request.Zone.Notes,
            geometry ?? PolygonalGeometryPlaceholder);
        var faults = Zone.Validate(content).Where(f => geometry is not null || f.Field != "geometry").Select(f => new FieldViolation(ZoneField(f.Field), f.Message)).ToList();
        if (fault is not null)
        {
            faults.Insert(0, new FieldViolation(fault.Field, fault.Message));
        }

        if (faults.Count > 0)
        {
            throw new InvalidArgumentException(faults);
        }

        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var zone = Zone.Create(Guid.CreateVersion7(clock.GetUtcNow()), content);
        Rethrow(() => version.PutZone(zone, watershed), ZoneField);
        await SaveAsync(plan, context.CancellationToken);
        return new PutZoneResponse { Zone = zone.ToContract() };
    }

    public override async Task<RemoveZoneResponse> RemoveZone(RemoveZoneRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        var code = v.Text(request.ZoneCode, "zone_code", 40);
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        version.RemoveZone(code);
        await SaveAsync(plan, context.CancellationToken);
        return new RemoveZoneResponse();
    }

    public override async Task<ImportPlanVersionZonesResponse> ImportPlanVersionZones(ImportPlanVersionZonesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        v.Check(!request.Geojson.IsEmpty, "geojson", "is required: a GeoJSON FeatureCollection");
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var import = ZoneGeoJson.Read(request.Geojson.Memory, watershed);
        if (!import.Succeeded)
        {
            // Name the feature and the fault for every problem, so the file is fixed in one pass.
            throw new InvalidArgumentException([.. import.Faults.Select(f => new FieldViolation(
                f.FeatureIndex is { } i ? $"geojson.features[{i}].{f.Field}" : "geojson",
                f.FeatureLabel is null ? f.Message : $"{f.FeatureLabel}: {f.Message}"))]);
        }

        Rethrow(() => version.ReplaceZones(import.Zones, watershed), field => "geojson." + field);
        await SaveAsync(plan, context.CancellationToken);
        return new ImportPlanVersionZonesResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<ExportPlanVersionResponse> ExportPlanVersion(ExportPlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        v.OptionalEnum(request.Format, "format");
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().RequireRead(watershed.Code);
        var name = $"{watershed.Code}-plan-v{version.Number}";
        return request.Format == ExportFormat.Kml
            ? new ExportPlanVersionResponse
            {
                Content = Google.Protobuf.ByteString.CopyFrom(ZoneKml.Write(version, $"{plan.Title} — v{version.Number}")),
                MediaType = "application/vnd.google-earth.kml+xml",
                FileName = name + ".kml",
            }
            : new ExportPlanVersionResponse
            {
                Content = Google.Protobuf.ByteString.CopyFrom(ZoneGeoJson.Write(version)),
                MediaType = "application/geo+json",
                FileName = name + ".geojson",
            };
    }

    public override async Task<CheckPlanVersionLayoutResponse> CheckPlanVersionLayout(CheckPlanVersionLayoutRequest request, ServerCallContext context)
    {
        var (_, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().RequireRead(watershed.Code);
        var report = Domain.Spatial.ZoneLayout.Check(version.Zones, watershed.Boundary);
        var response = new CheckPlanVersionLayoutResponse();
        response.Overlaps.AddRange(report.Overlaps.Select(o => new V1.ZoneOverlap
        {
            FirstZoneCode = o.First.Code,
            SecondZoneCode = o.Second.Code,
            AreaHa = o.AreaHectares,
            Longitude = o.Location.X,
            Latitude = o.Location.Y,
        }));
        response.OutsideBoundary.AddRange(report.OutsideBoundary.Select(o => new V1.ZoneOutsideBoundary
        {
            ZoneCode = o.Zone.Code,
            OutsideAreaHa = o.OutsideHectares,
            OutsideFraction = o.OutsideFraction,
            LooksSwapped = o.LooksSwapped,
        }));
        return response;
    }

    public override async Task<DiffPlanVersionsResponse> DiffPlanVersions(DiffPlanVersionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var fromId = v.Id(request.FromPlanVersionId, "from_plan_version_id");
        var toId = v.Id(request.ToPlanVersionId, "to_plan_version_id");
        v.ThrowIfInvalid();
        var (fromPlan, from, watershed) = await VersionAsync(request.FromPlanVersionId, "from_plan_version_id", context);
        var to = fromPlan.Versions.SingleOrDefault(x => x.Id == toId)
            ?? (await VersionAsync(request.ToPlanVersionId, "to_plan_version_id", context)).Version;
        context.Caller().RequireRead(watershed.Code);
        if (to.PlanId != from.PlanId)
        {
            throw new InvalidArgumentException("to_plan_version_id", "must be a version of the same plan");
        }

        var diff = PlanVersionDiff.Between(from, to);
        var response = new DiffPlanVersionsResponse();
        response.Added.AddRange(diff.Added.Select(z => z.ToContract()));
        response.Removed.AddRange(diff.Removed.Select(z => z.ToContract()));
        response.Changed.AddRange(diff.Changed.Select(c =>
        {
            var change = new V1.ZoneChange { ZoneCode = c.Code, Before = c.Before.ToContract(), After = c.After.ToContract(), AreaDeltaHa = c.AreaDeltaHectares };
            change.Changes.AddRange(Enum.GetValues<ZoneChanges>().Where(f => f != ZoneChanges.None && c.Changes.HasFlag(f)).Select(ChangeKind));
            return change;
        }));
        response.AreaDeltas.AddRange(diff.AreaDeltaHectares.OrderBy(d => d.Key).Select(d => new CategoryAreaDelta { Category = (V1.ZeeCategory)d.Key, AreaDeltaHa = d.Value }));
        return response;
    }

    public override async Task<SubmitPlanVersionResponse> SubmitPlanVersion(SubmitPlanVersionRequest request, ServerCallContext context)
    {
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        plan.SubmitForConsultation(version.Id, watershed, clock.GetUtcNow());
        await SaveAsync(plan, context.CancellationToken);
        return new SubmitPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<ApprovePlanVersionResponse> ApprovePlanVersion(ApprovePlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        var proposalId = v.Id(request.ProposalId, "proposal_id");
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);

        // Nothing changes here unless consultation answers; UNAVAILABLE if it cannot.
        var proposal = await consultation.FindProposalAsync(proposalId, context.CancellationToken);
        var approval = PlanApprovalRule.Evaluate(version, watershed, proposalId, proposal);
        var superseded = plan.Approve(approval, clock.GetUtcNow());
        await SaveAsync(plan, context.CancellationToken);
        return new ApprovePlanVersionResponse { PlanVersion = version.ToContract(), SupersededVersionId = superseded?.Id.ToString() ?? string.Empty };
    }

    public override async Task<WithdrawPlanVersionResponse> WithdrawPlanVersion(WithdrawPlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.PlanVersionId, "plan_version_id");
        v.Text(request.Reason, "reason", 1000);
        v.ThrowIfInvalid();
        var (plan, version, watershed) = await VersionAsync(request.PlanVersionId, "plan_version_id", context);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        plan.Withdraw(version.Id, request.Reason, clock.GetUtcNow());
        await SaveAsync(plan, context.CancellationToken);
        return new WithdrawPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    // Stands in for a missing geometry so the rest of the zone can still be checked in the same pass.
    private static readonly NetTopologySuite.Geometries.Geometry PolygonalGeometryPlaceholder =
        Domain.Spatial.PolygonalGeometry.Factory.CreatePolygon();

    private static PlanHorizon Horizon(V1.PlanHorizon horizon) => new(horizon.FromYear, horizon.ToYear);

    private static string ZoneField(string field) => field switch
    {
        "geometry" => "zone.geometry_geojson",
        _ => "zone." + field,
    };

    /// <summary>Runs a domain change and names its faults by the request's fields.</summary>
    private static void Rethrow(Action change, Func<string, string> requestField)
    {
        try
        {
            change();
        }
        catch (InvalidContentException ex)
        {
            throw new InvalidArgumentException([.. ex.Faults.Select(f => new FieldViolation(requestField(f.Field), f.Message))]);
        }
    }

    private static ZoneChangeKind ChangeKind(ZoneChanges change) => change switch
    {
        ZoneChanges.Category => ZoneChangeKind.Category,
        ZoneChanges.Subcategory => ZoneChangeKind.Subcategory,
        ZoneChanges.Geometry => ZoneChangeKind.Geometry,
        ZoneChanges.Uses => ZoneChangeKind.Uses,
        ZoneChanges.Name => ZoneChangeKind.Name,
        _ => ZoneChangeKind.Notes,
    };

    private IQueryable<Plan> Plans => db.Plans.AsSplitQuery().Include(p => p.Versions).ThenInclude(x => x.Zones);

    private async Task<(Plan Plan, WatershedUnit Watershed)> PlanAsync(string rawId, string field, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(rawId, field);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var plan = await Plans.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("plan", id.ToString());
        return (plan, await db.WatershedUnits.SingleAsync(w => w.Id == plan.WatershedId, ct));
    }

    private async Task<(Plan Plan, PlanVersion Version, WatershedUnit Watershed)> VersionAsync(string rawId, string field, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(rawId, field);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var plan = await Plans.SingleOrDefaultAsync(p => p.Versions.Any(x => x.Id == id), ct)
            ?? throw new NotFoundException("plan_version", id.ToString());
        return (plan, plan.Version(id), await db.WatershedUnits.SingleAsync(w => w.Id == plan.WatershedId, ct));
    }

    /// <summary>Saves the whole plan; its revision makes a concurrent change of the same plan fail with ABORTED.</summary>
    private async Task SaveAsync(Plan plan, CancellationToken ct)
    {
        var revision = db.Entry(plan).Property<int>(LandUseDbContext.PlanRevision);
        revision.CurrentValue++;
        await db.SaveChangesAsync(ct);
    }
}
