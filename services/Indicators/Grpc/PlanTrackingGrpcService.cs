using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Tracking;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Direction = Watershed.Indicators.Domain.Direction;
using DomainPlanTarget = Watershed.Indicators.Domain.Tracking.PlanTarget;
using PlanTarget = Watershed.Indicators.V1.PlanTarget;

namespace Watershed.Indicators.Grpc;

public sealed class PlanTrackingGrpcService(IndicatorsDbContext db, AreaFigures figures, TimeProvider clock) : PlanTrackingService.PlanTrackingServiceBase
{
    public override async Task<CreatePlanTargetResponse> CreatePlanTarget(CreatePlanTargetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var t = request.Target ?? new PlanTarget();
        v.Check(request.Target is not null, "target", "is required");
        var planId = v.Id(t.PlanId, "target.plan_id");
        var goalId = v.Id(t.GoalId, "target.goal_id");
        var code = v.Text(t.IndicatorCode, "target.indicator_code", 32);
        var areaId = v.Id(t.AreaId, "target.area_id");
        var metricText = v.Text(t.Metric, "target.metric", 80);
        v.Check(metricText.Length == 0 || AggregateMetric.TryParse(metricText, out _), "target.metric",
            "must be mean, sum, sum_weights, n, n_missing, percent:<category>, weighted_count:<category> or count:<category>");
        v.OptionalEnum(t.Direction, "target.direction");
        var baselineValue = v.Decimal(t.BaselineValue, "target.baseline_value", required: false);
        var baselinePeriod = v.Period(t.BaselinePeriod, "target.baseline_period");
        var targetValue = v.Decimal(t.TargetValue, "target.target_value");
        var targetDate = DateOnly.TryParseExact(t.TargetDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : (DateOnly?)null;
        v.Check(targetDate is not null, "target.target_date", "must be a date such as 2028-12-31");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().Require(area.WatershedCode, Roles.Facilitator);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var metric = AggregateMetric.Parse(metricText);
        if (metric.IsPerCategory && !indicator.HasCategory(metric.Category!))
        {
            throw new InvalidArgumentException("target.metric", $"{indicator.Code} has no category '{metric.Category}'");
        }

        // No baseline given: it is the figure the baseline survey produced, read from the stored households.
        var baseline = baselineValue ?? (await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, baselinePeriod!, ct)).Value(metric)
            ?? throw new PreconditionFailedException("BASELINE_DATA", $"{indicator.Code}/{area.Id}/{baselinePeriod}",
                $"No household of the area has a {indicator.Code} score in {baselinePeriod}: give target.baseline_value or import the baseline survey first.");
        var direction = t.Direction == V1.Direction.Unspecified ? indicator.Direction : t.Direction.ToDomain<Direction>();
        var target = new DomainPlanTarget(planId.ToString(), goalId.ToString(), indicator.Code, area.Id.ToString(), metric, direction,
            new Baseline(baseline, baselinePeriod!), new Target(targetValue!.Value, targetDate!.Value));
        foreach (var error in target.Validate())
        {
            v.Add(error.Field switch
            {
                "target.date" => "target.target_date",
                "target.value" => "target.target_value",
                var other => $"target.{other}",
            }, error.Reason);
        }

        v.ThrowIfInvalid();
        var row = new PlanTargetRow
        {
            Id = Guid.CreateVersion7(),
            PlanId = planId,
            GoalId = goalId,
            IndicatorCode = indicator.Code,
            AreaId = area.Id,
            Metric = metric.ToString(),
            Direction = direction,
            BaselineValue = baseline,
            BaselinePeriod = baselinePeriod!.ToString(),
            TargetValue = targetValue.Value,
            TargetDate = targetDate.Value,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PlanTargets.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreatePlanTargetResponse { Target = row.ToContract() };
    }

    public override async Task<GetPlanTargetResponse> GetPlanTarget(GetPlanTargetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.Id, "id");
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
        var caller = context.Caller();
        // A plan belongs to one watershed; the caller sees the targets in the watersheds it may read.
        var rows = await (
            from t in db.PlanTargets.AsNoTracking()
            join a in db.Areas.AsNoTracking() on t.AreaId equals a.Id
            where t.PlanId == planId
            orderby t.CreatedAt, t.Id
            select new { Target = t, a.WatershedCode }).ToListAsync(context.CancellationToken);
        var items = rows.Where(r => caller.CanAccess(r.WatershedCode)).Select(r => r.Target).Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListPlanTargetsResponse { Page = page.Next(items) };
        response.Targets.AddRange(items.Select(t => t.ToContract()));
        return response;
    }

    public override async Task<GetPlanProgressResponse> GetPlanProgress(GetPlanProgressRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.TargetId, "target_id");
        var period = v.Period(request.Period, "period");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (row, area) = await TargetAsync(id, context);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, row.IndicatorCode, ct);
        var metric = AggregateMetric.Parse(row.Metric);
        var aggregate = await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, period!, ct);
        var current = aggregate.Value(metric)
            ?? throw new PreconditionFailedException("PERIOD_DATA", $"{row.IndicatorCode}/{area.Id}/{period}",
                $"No household of the area has a {row.IndicatorCode} score in {period}.");
        var target = new DomainPlanTarget(row.PlanId.ToString(), row.GoalId.ToString(), row.IndicatorCode, row.AreaId.ToString(), metric, row.Direction,
            new Baseline(row.BaselineValue, Period.Parse(row.BaselinePeriod)), new Target(row.TargetValue, row.TargetDate));
        var progress = target.Progress(current);
        var response = new GetPlanProgressResponse
        {
            CurrentValue = Domain.Export.Dhis2Export.FormatValue(progress.Current),
            TargetReached = progress.TargetReached,
            N = aggregate.N,
        };
        if (progress.Percent is { } percent)
        {
            response.Percent = (double)percent;
        }

        return response;
    }

    private async Task<(PlanTargetRow Target, AreaRow Area)> TargetAsync(Guid id, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var target = await db.PlanTargets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new NotFoundException("plan_target", id.ToString());
        var area = await db.AreaAsync(target.AreaId, ct);
        context.Caller().RequireRead(area.WatershedCode);
        return (target, area);
    }
}
