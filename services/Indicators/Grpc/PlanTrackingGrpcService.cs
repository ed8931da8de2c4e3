using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Tracking;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Area = Watershed.Indicators.Domain.Areas.Area;
using Direction = Watershed.Indicators.Domain.Direction;
using PlanTarget = Watershed.Indicators.Domain.Tracking.PlanTarget;

namespace Watershed.Indicators.Grpc;

public sealed class PlanTrackingGrpcService(IndicatorsDbContext db, AreaFigures figures, TimeProvider clock) : PlanTrackingService.PlanTrackingServiceBase
{
    public override async Task<CreatePlanTargetResponse> CreatePlanTarget(CreatePlanTargetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var t = request.Target ?? new V1.PlanTarget();
        v.Check(request.Target is not null, "target", "is required");
        var planId = v.Id(t.PlanId, "target.plan_id");
        var goalId = v.Id(t.GoalId, "target.goal_id");
        var code = v.Text(t.IndicatorCode, "target.indicator_code", 32);
        var areaId = v.Id(t.AreaId, "target.area_id");
        var metric = v.Metric(t.Metric, "target.metric");
        var direction = v.OptionalEnum<V1.Direction, Direction>(t.Direction, "target.direction");
        var baselineValue = v.Decimal(t.BaselineValue, "target.baseline_value", required: false);
        var baselinePeriod = v.Period(t.BaselinePeriod, "target.baseline_period");
        var targetValue = v.Decimal(t.TargetValue, "target.target_value");
        var targetDate = v.Date(t.TargetDate, "target.target_date");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireWriter(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        // Without a baseline value the baseline is the figure the baseline survey produced: only then is it read.
        var figure = baselineValue is null ? await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, baselinePeriod!, ct) : null;
        PlanTarget target;
        try
        {
            var baseline = Baseline.Of(baselineValue, baselinePeriod!, metric!, figure);
            target = PlanTarget.Create(planId, goalId, indicator, area.Id, metric!, direction, baseline, new Target(targetValue!.Value, targetDate!.Value), clock.GetUtcNow());
        }
        catch (InvalidArgumentException ex)
        {
            throw ex.Under("target");
        }

        var caller = context.Caller();
        await db.InTransactionAsync(async token =>
        {
            // A plan of which no approval was received yet is unknown here: its goal ids are taken as given. A known plan
            // of another watershed is answered as reading it would be before its goals are looked at, so no goal of a
            // plan the caller may not read is confirmed or denied.
            if (await db.LockApprovedPlanAsync(planId, token) is { } approved)
            {
                if (approved.BelongsElsewhere(area.WatershedCode))
                {
                    caller.RequireReader(approved.WatershedCode);
                }

                try
                {
                    approved.RequireWatershed(area.WatershedCode);
                }
                catch (InvalidArgumentException ex)
                {
                    throw ex.Under("target");
                }

                approved.RequireGoal(goalId);
            }

            db.PlanTargets.Add(target);
            await db.SaveChangesAsync(token);
        }, ct);
        return new CreatePlanTargetResponse { Target = target.ToContract() };
    }

    public override async Task<GetPlanTargetResponse> GetPlanTarget(GetPlanTargetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.PlanTargetId, "plan_target_id");
        v.ThrowIfInvalid();
        var (target, _) = await TargetAsync(id, context);
        return new GetPlanTargetResponse { Target = target.ToContract() };
    }

    public override async Task<ListPlanTargetsResponse> ListPlanTargets(ListPlanTargetsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var planId = v.Id(request.PlanId, "plan_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var caller = context.Caller();
        caller.RequireKnownRole();
        // A plan belongs to one watershed: a caller who may not read it is denied, as for any other object, whether the
        // plan is known from land use's approval or only from its targets' areas.
        if (await db.ApprovedPlans.AsNoTracking().Where(p => p.PlanId == planId).Select(p => p.WatershedCode).SingleOrDefaultAsync(ct) is { Length: > 0 } planWatershed)
        {
            caller.RequireReader(planWatershed);
        }

        var watersheds = await (
            from t in db.PlanTargets.AsNoTracking()
            join a in db.Areas.AsNoTracking() on t.AreaId equals a.Id
            where t.PlanId == planId
            select a.WatershedCode).Distinct().ToListAsync(ct);
        foreach (var watershed in watersheds)
        {
            caller.RequireReader(watershed);
        }

        var items = await db.PlanTargets.AsNoTracking().Where(t => t.PlanId == planId)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListPlanTargetsResponse { Page = page.Next(items) };
        response.Targets.AddRange(items.Select(t => t.ToContract()));
        return response;
    }

    public override async Task<GetPlanProgressResponse> GetPlanProgress(GetPlanProgressRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.PlanTargetId, "plan_target_id");
        var period = v.Period(request.Period, "period");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (target, area) = await TargetAsync(id, context);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, target.IndicatorCode, ct);
        var figure = await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, period!, ct);
        var progress = target.ProgressAt(figure);
        var response = new GetPlanProgressResponse
        {
            CurrentValue = Domain.Export.Dhis2Export.FormatValue(progress.Current),
            TargetReached = progress.TargetReached,
            N = figure.N,
        };
        if (progress.Percent is { } percent)
        {
            response.Percent = percent;
        }

        return response;
    }

    private async Task<(PlanTarget Target, Area Area)> TargetAsync(Guid id, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var target = await db.PlanTargets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new NotFoundException("plan_target", id.ToString());
        var area = await db.AreaAsync(target.AreaId, ct);
        context.Caller().RequireReader(area.WatershedCode);
        return (target, area);
    }
}
