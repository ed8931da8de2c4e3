using System.Diagnostics;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.Domain.Spatial;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Plan = Watershed.LandUse.Domain.Plan;
using PlanVersion = Watershed.LandUse.Domain.PlanVersion;
using WatershedUnit = Watershed.LandUse.Domain.WatershedUnit;
using LayerFormat = Watershed.LandUse.Domain.Exchange.LayerFormat;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Plans and their versions. Reads load what they answer with; commands run in one transaction that locks
/// the plan first (<see cref="ChangeVersionAsync{T}"/>), so two commands on one plan never decide on the same state.
/// </summary>
public sealed partial class PlanGrpcService(
    LandUseDbContext db,
    ConsultationDecisions consultation,
    LandUseTelemetry telemetry,
    TimeProvider clock,
    ILogger<PlanGrpcService> logger) : PlanService.PlanServiceBase
{
    public override async Task<CreatePlanResponse> CreatePlan(CreatePlanRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedUnitId, "watershed_unit_id");
        v.Check(request.Horizon is not null, "horizon", "is required");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedUnits.AsNoTracking().SingleOrDefaultAsync(w => w.Id == watershedId, ct)
            ?? throw new NotFoundException("watershed_unit", watershedId.ToString());
        context.Caller().RequireWriter(watershed.Code);
        var now = clock.GetUtcNow();
        var plan = Plan.Create(Guid.CreateVersion7(now), watershed, request.Title, request.Horizon!.ToDomain(), [.. request.Goals], Guid.CreateVersion7(now), now);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return new CreatePlanResponse { Plan = plan.ToContract(), FirstVersion = plan.Latest.ToContract() };
    }

    public override async Task<GetPlanResponse> GetPlan(GetPlanRequest request, ServerCallContext context)
    {
        var planId = RequiredId(request.PlanId, "plan_id");
        var ct = context.CancellationToken;
        var plan = await db.PlanAsync(planId, ct);
        context.Caller().RequireReader(await db.WatershedCodeAsync(plan.WatershedId, ct));
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
        caller.RequireKnownRole();
        var units = await db.WatershedUnits
            .Where(w => watershedId == null || w.Id == watershedId)
            .Select(w => new { w.Id, w.Code }).ToListAsync(ct);
        if (watershedId is { } id)
        {
            var unit = units.SingleOrDefault() ?? throw new NotFoundException("watershed_unit", id.ToString());
            caller.RequireReader(unit.Code);
        }

        var visible = units.Where(u => caller.CanAccess(u.Code)).Select(u => u.Id).ToList();
        var plans = await db.PlansPageAsync(visible, page, ct);
        var response = new ListPlansResponse { Page = page.Next(plans) };
        response.Plans.AddRange(plans.Select(p => p.ToContract()));
        return response;
    }

    public override async Task<RetitlePlanResponse> RetitlePlan(RetitlePlanRequest request, ServerCallContext context)
    {
        var planId = RequiredId(request.PlanId, "plan_id");
        var plan = await ChangePlanAsync(planId, context, (plan, _) =>
        {
            plan.Retitle(request.Title);
            return Task.FromResult(plan);
        });
        return new RetitlePlanResponse { Plan = plan.ToContract() };
    }

    public override async Task<StartPlanVersionResponse> StartPlanVersion(StartPlanVersionRequest request, ServerCallContext context)
    {
        var planId = RequiredId(request.PlanId, "plan_id");
        var draft = await ChangePlanAsync(planId, context, async (plan, ct) =>
        {
            // The draft copies the latest version's zones.
            await db.LoadZonesAsync(plan.Latest, ct);
            var now = clock.GetUtcNow();
            return plan.StartNewVersion(Guid.CreateVersion7(now), now);
        });
        return new StartPlanVersionResponse { PlanVersion = draft.ToContract() };
    }

    public override async Task<GetPlanVersionResponse> GetPlanVersion(GetPlanVersionRequest request, ServerCallContext context)
    {
        var versionId = RequiredId(request.PlanVersionId, "plan_version_id");
        var (version, watershed) = await ReadVersionAsync(versionId, context.CancellationToken);
        context.Caller().RequireReader(watershed.Code);
        return new GetPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<ListPlanVersionsResponse> ListPlanVersions(ListPlanVersionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var planId = v.Id(request.PlanId, "plan_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershedId = await db.WatershedIdOfPlanAsync(planId, ct);
        context.Caller().RequireReader(await db.WatershedCodeAsync(watershedId, ct));
        var versions = await db.VersionsPageAsync(planId, page, ct);
        var response = new ListPlanVersionsResponse { Page = page.Next(versions) };
        var totals = await db.ZoneTotalsAsync([.. versions.Select(x => x.Id)], ct);
        response.PlanVersions.AddRange(versions.Select(x => x.ToContract(totals.GetValueOrDefault(x.Id, ZoneTotals.None))));
        return response;
    }

    public override async Task<RevisePlanVersionResponse> RevisePlanVersion(RevisePlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        v.Check(request.Horizon is not null, "horizon", "is required");
        v.ThrowIfInvalid();
        var version = await ChangeVersionAsync(versionId, context, (_, version, _) =>
        {
            version.Revise(request.Horizon!.ToDomain(), [.. request.Goals]);
            return version;
        });
        return new RevisePlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<PutZoneResponse> PutZone(PutZoneRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        NetTopologySuite.Geometries.Geometry? geometry = null;
        if (request.Zone is not { } zone)
        {
            v.Add("zone", "is required");
        }
        else
        {
            v.Enum(zone.Category, "zone.category");
            v.Enum(zone.Subcategory, "zone.subcategory");
            for (var i = 0; i < zone.Uses.Count; i++)
            {
                v.Enum(zone.Uses[i].Rating, $"zone.uses[{i}].rating");
            }

            geometry = Geometry(zone.GeometryGeojson, "zone.geometry_geojson", v);
        }

        v.ThrowIfInvalid();
        var content = request.Zone!.ToDomain(geometry!);
        var stored = await ChangeVersionAsync(versionId, context, (_, version, watershed) =>
        {
            try
            {
                return version.PutZone(Guid.CreateVersion7(clock.GetUtcNow()), content, watershed);
            }
            catch (InvalidArgumentException ex)
            {
                throw ex.Under("zone");
            }
        });
        return new PutZoneResponse { Zone = stored.ToContract() };
    }

    public override async Task<RemoveZoneResponse> RemoveZone(RemoveZoneRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        var code = v.Text(request.ZoneCode, "zone_code", 40);
        v.ThrowIfInvalid();
        await ChangeVersionAsync(versionId, context, (_, version, _) =>
        {
            version.RemoveZone(code);
            return version;
        });
        return new RemoveZoneResponse();
    }

    public override async Task<ImportPlanVersionZonesResponse> ImportPlanVersionZones(ImportPlanVersionZonesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        var fromFile = !request.File.IsEmpty;
        var (field, file) = fromFile ? ("file", request.File) : ("geojson", request.Geojson);
        v.Check(fromFile || !request.Geojson.IsEmpty, "geojson", "is required: a GeoJSON FeatureCollection, or a layer in another format as file");
        v.Check(!fromFile || request.Geojson.IsEmpty, "file", "give the layer either as geojson or as file, not both");
        v.OptionalEnum(request.FileFormat, "file_format");
        v.Check(fromFile || request.FileFormat == V1.LayerFormat.Unspecified, "file_format", "describes file; geojson is always GeoJSON");
        var format = LayerFormat.Geojson;
        if (fromFile && request.FileFormat != V1.LayerFormat.Unspecified && Enum.IsDefined(request.FileFormat))
        {
            format = request.FileFormat.ToDomain<V1.LayerFormat, LayerFormat>();
        }
        else if (fromFile && request.FileFormat == V1.LayerFormat.Unspecified)
        {
            var detected = ZoneLayers.Detect(file.Memory);
            v.Check(detected is not null, "file", "is not GeoJSON, KML, KMZ, a GeoPackage or a zipped Shapefile by its first bytes: set file_format");
            format = detected ?? format;
        }

        v.ThrowIfInvalid();
        if (request.CheckOnly)
        {
            return await CheckLayerAsync(versionId, file, format, field, context);
        }

        using var span = telemetry.StartImport(versionId);
        var (version, watershed, import) = await ChangeVersionAsync(versionId, context, (plan, version, watershed) =>
        {
            span?.SetTag("plan.id", plan.Id.ToString());
            try
            {
                return (version, watershed, version.ImportZones(file.Memory, watershed, format));
            }
            catch (InvalidArgumentException ex)
            {
                throw ex.Under(field);
            }
        });
        span?.SetTag("zone.count", import.Zones.Count);
        telemetry.ZonesImported(import.Zones.Count, watershed.Code);
        var response = new ImportPlanVersionZonesResponse { PlanVersion = version.ToContract() };
        response.IgnoredProperties.AddRange(import.IgnoredProperties.Select(p => new V1.IgnoredProperty
        {
            Name = p.Name, FeatureCount = p.FeatureCount, FirstFeature = p.FirstFeature,
        }));
        return response;
    }

    /// <summary>The most faults a check lists (ImportPlanVersionZonesResponse.faults); fault_count says how many there are.</summary>
    internal const int MaxCheckedFaults = 2000;

    /// <summary>The most characters of geometry a check answers (LayerFeature.geometry_omitted past it).</summary>
    internal const int MaxCheckedGeometryChars = 2_000_000;

    /// <summary>
    /// ImportPlanVersionZones with check_only: the same reading, rules and authorisation as the import, nothing stored;
    /// every feature as read and the faults, in the answer.
    /// </summary>
    private async Task<ImportPlanVersionZonesResponse> CheckLayerAsync(Guid versionId, Google.Protobuf.ByteString file, LayerFormat format, string field, ServerCallContext context)
    {
        var (version, watershed) = await ReadVersionAsync(versionId, context.CancellationToken);
        context.Caller().RequireWriter(watershed.Code);
        var import = version.CheckZones(file.Memory, watershed, format);
        var response = new ImportPlanVersionZonesResponse { PlanVersion = version.ToContract(), FaultCount = import.Faults.Count };
        response.IgnoredProperties.AddRange(import.IgnoredProperties.Select(p => new V1.IgnoredProperty
        {
            Name = p.Name, FeatureCount = p.FeatureCount, FirstFeature = p.FirstFeature,
        }));
        var budget = MaxCheckedGeometryChars;
        foreach (var shape in import.Shapes)
        {
            var geometry = shape.Shape is null ? string.Empty : Domain.Exchange.GeometryJson.Write(shape.Shape);
            var omitted = geometry.Length > budget;
            budget -= omitted ? 0 : geometry.Length;
            response.Features.Add(new LayerFeature { Index = shape.Index, Label = shape.Label ?? string.Empty, GeometryGeojson = omitted ? string.Empty : geometry, GeometryOmitted = omitted });
        }

        foreach (var fault in import.Faults.Take(MaxCheckedFaults))
        {
            var match = System.Text.RegularExpressions.Regex.Match(fault.Field, @"^features\[(\d+)\]");
            var named = fault.Under(field);
            response.Faults.Add(new LayerFault
            {
                Field = named.Field, Description = named.Description, Feature = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1,
            });
        }

        return response;
    }

    public override async Task<ExportPlanVersionResponse> ExportPlanVersion(ExportPlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        v.OptionalEnum(request.Format, "format");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (version, watershed) = await ReadVersionAsync(versionId, ct);
        context.Caller().RequireReader(watershed.Code);
        var name = $"{watershed.Code}-plan-v{version.Number}";
        var title = await db.Plans.Where(p => p.Id == version.PlanId).Select(p => p.Title).SingleAsync(ct);
        var document = $"{title} — v{version.Number}";
        var (content, mediaType, fileName) = request.Format switch
        {
            ExportFormat.Kml => (ZoneKml.Write(version, document), "application/vnd.google-earth.kml+xml", name + ".kml"),
            ExportFormat.Geopackage => (ZoneGeoPackage.Write(version, document), "application/geopackage+sqlite3", name + ".gpkg"),
            ExportFormat.ShapefileZip => (ZoneShapefile.Write(version, name), "application/zip", name + ".shp.zip"),
            _ => (ZoneGeoJson.Write(version), "application/geo+json", name + ".geojson"),
        };
        return new ExportPlanVersionResponse { Content = Google.Protobuf.ByteString.CopyFrom(content), MediaType = mediaType, FileName = fileName };
    }

    public override async Task<CheckPlanVersionLayoutResponse> CheckPlanVersionLayout(CheckPlanVersionLayoutRequest request, ServerCallContext context)
    {
        var versionId = RequiredId(request.PlanVersionId, "plan_version_id");
        var (version, watershed) = await ReadVersionAsync(versionId, context.CancellationToken);
        context.Caller().RequireReader(watershed.Code);
        var report = ZoneLayout.Check(version.Zones, watershed.Boundary);
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
            BoundaryLooksSwapped = o.BoundaryLooksSwapped,
        }));
        return response;
    }

    public override async Task<DiffPlanVersionsResponse> DiffPlanVersions(DiffPlanVersionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var fromId = v.Id(request.FromPlanVersionId, "from_plan_version_id");
        var toId = v.Id(request.ToPlanVersionId, "to_plan_version_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var caller = context.Caller();
        // Each id is answered as a read of it alone would be (NOT_FOUND, then PERMISSION_DENIED), in request order, before
        // the two versions are compared or a zone is read: the answer never tells what another watershed holds.
        caller.RequireReader((await db.VersionScopeAsync(fromId, ct)).WatershedCode);
        caller.RequireReader((await db.VersionScopeAsync(toId, ct)).WatershedCode);
        var from = await db.VersionWithZonesAsync(fromId, ct);
        var to = await db.VersionWithZonesAsync(toId, ct);

        var diff = PlanVersionDiff.Between(from, to);
        var response = new DiffPlanVersionsResponse();
        response.Added.AddRange(diff.Added.Select(z => z.ToContract()));
        response.Removed.AddRange(diff.Removed.Select(z => z.ToContract()));
        response.Changed.AddRange(diff.Changed.Select(c => c.ToContract()));
        response.AreaDeltas.AddRange(diff.AreaDeltaHectares.OrderBy(d => d.Key).Select(d => new CategoryAreaDelta
        {
            Category = d.Key.ToContract<Domain.ZeeCategory, V1.ZeeCategory>(),
            AreaDeltaHa = d.Value,
        }));
        return response;
    }

    public override async Task<SubmitPlanVersionResponse> SubmitPlanVersion(SubmitPlanVersionRequest request, ServerCallContext context)
    {
        var versionId = RequiredId(request.PlanVersionId, "plan_version_id");
        var (version, code) = await ChangeVersionAsync(versionId, context, (plan, version, watershed) =>
        {
            var now = clock.GetUtcNow();
            plan.SubmitForConsultation(version.Id, watershed, now);
            db.Submitted(plan, version, watershed, now);
            return (version, watershed.Code);
        });
        telemetry.Submitted(code);
        return new SubmitPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    public override async Task<ApprovePlanVersionResponse> ApprovePlanVersion(ApprovePlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        var proposalId = v.Id(request.ProposalId, "proposal_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var planId = await db.PlanIdOfVersionAsync(versionId, ct);
        var code = await db.WatershedCodeAsync(await db.WatershedIdOfPlanAsync(planId, ct), ct);
        context.Caller().RequireWriter(code);
        if (await db.PlanVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, ct) is { } current && current.IsApprovedBy(proposalId))
        {
            var (repeated, _) = await ReadVersionAsync(versionId, ct);
            return new ApprovePlanVersionResponse { PlanVersion = repeated.ToContract() };
        }

        using var span = telemetry.StartApproval(planId, versionId, proposalId);
        // Consultation is asked before the plan is locked: no lock waits on another service.
        ConsultationProposal? proposal;
        try
        {
            proposal = await consultation.FindProposalAsync(proposalId, ct);
        }
        catch (DependencyUnavailableException)
        {
            span?.SetStatus(ActivityStatusCode.Error, LandUseTelemetry.Outcome.Unavailable);
            telemetry.Approval(LandUseTelemetry.Outcome.Unavailable, code);
            throw;
        }

        PlanVersion version;
        PlanVersion? superseded;
        try
        {
            (version, superseded) = await ChangeVersionAsync(versionId, context, (plan, version, watershed) =>
            {
                var approval = PlanApprovalRule.Evaluate(version, watershed, proposalId, proposal);
                var now = clock.GetUtcNow();
                var superseded = plan.Approve(approval, now);
                db.Approved(plan, version, superseded, proposalId, watershed, now);
                return (version, superseded);
            });
        }
        catch (PreconditionFailedException)
        {
            span?.SetStatus(ActivityStatusCode.Error, LandUseTelemetry.Outcome.Refused);
            telemetry.Approval(LandUseTelemetry.Outcome.Refused, code);
            throw;
        }

        telemetry.Approval(LandUseTelemetry.Outcome.Approved, code);
        LogApproved(logger, planId, versionId, proposalId, superseded?.Id);
        return new ApprovePlanVersionResponse { PlanVersion = version.ToContract(), SupersededVersionId = superseded?.Id.ToString() ?? string.Empty };
    }

    public override async Task<WithdrawPlanVersionResponse> WithdrawPlanVersion(WithdrawPlanVersionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var versionId = v.Id(request.PlanVersionId, "plan_version_id");
        v.Text(request.Reason, "reason", 1000);
        v.ThrowIfInvalid();
        var (version, code) = await ChangeVersionAsync(versionId, context, (plan, version, watershed) =>
        {
            var now = clock.GetUtcNow();
            plan.Withdraw(version.Id, request.Reason, now);
            db.Withdrawn(plan, version, request.Reason, watershed, now);
            return (version, watershed.Code);
        });
        telemetry.Withdrawn(code);
        return new WithdrawPlanVersionResponse { PlanVersion = version.ToContract() };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanId} version {PlanVersionId} approved by proposal {ProposalId}; superseded version {SupersededVersionId}")]
    private static partial void LogApproved(ILogger logger, Guid planId, Guid planVersionId, Guid proposalId, Guid? supersededVersionId);

    private static Guid RequiredId(string raw, string field)
    {
        var v = new Validation();
        var id = v.Id(raw, field);
        v.ThrowIfInvalid();
        return id;
    }

    private static NetTopologySuite.Geometries.Geometry? Geometry(string json, string field, Validation v)
    {
        var (geometry, violation) = GeometryJson.Parse(json, field);
        if (violation is not null)
        {
            v.Add(violation.Field, violation.Description);
        }

        return geometry;
    }

    /// <summary>A version with its zones and its plan's watershed, for reading.</summary>
    private async Task<(PlanVersion Version, WatershedUnit Watershed)> ReadVersionAsync(Guid versionId, CancellationToken ct)
    {
        var version = await db.VersionWithZonesAsync(versionId, ct);
        var watershedId = await db.WatershedIdOfPlanAsync(version.PlanId, ct);
        return (version, await db.WatershedUnits.AsNoTracking().SingleAsync(w => w.Id == watershedId, ct));
    }

    /// <summary>
    /// The unit of work of a command on a plan: in one transaction, the plan locked with its versions (no zones),
    /// the caller authorised as the watershed's writer, the domain's change, the plan saved with its revision bumped.
    /// </summary>
    private Task<T> ChangePlanAsync<T>(Guid planId, ServerCallContext context, Func<Plan, CancellationToken, Task<T>> change) =>
        db.InTransactionAsync(async ct =>
        {
            var plan = await db.LockPlanAsync(planId, ct);
            context.Caller().RequireWriter(await db.WatershedCodeAsync(plan.WatershedId, ct));
            var result = await change(plan, ct);
            await db.SavePlanAsync(plan, ct);
            return result;
        }, context.CancellationToken);

    /// <summary>
    /// <see cref="ChangePlanAsync{T}"/> for a command on
    /// one version: the version's zones are loaded (only its own) and the change gets the watershed with its boundary.
    /// </summary>
    private async Task<T> ChangeVersionAsync<T>(Guid versionId, ServerCallContext context, Func<Plan, PlanVersion, WatershedUnit, T> change)
    {
        var planId = await db.PlanIdOfVersionAsync(versionId, context.CancellationToken);
        return await db.InTransactionAsync(async ct =>
        {
            var plan = await db.LockPlanAsync(planId, ct);
            var watershed = await db.WatershedUnits.AsNoTracking().SingleAsync(w => w.Id == plan.WatershedId, ct);
            context.Caller().RequireWriter(watershed.Code);
            var version = plan.Version(versionId);
            await db.LoadZonesAsync(version, ct);
            var result = change(plan, version, watershed);
            await db.SavePlanAsync(plan, ct);
            return result;
        }, context.CancellationToken);
    }
}
