using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using AlertRule = Watershed.Indicators.V1.AlertRule;
using AlertState = Watershed.Indicators.V1.AlertState;
using DomainAlertRule = Watershed.Indicators.Domain.Tracking.AlertRule;
using PeriodType = Watershed.Indicators.Domain.Aggregation.PeriodType;

namespace Watershed.Indicators.Grpc;

public sealed class AlertGrpcService(IndicatorsDbContext db, TimeProvider clock) : AlertService.AlertServiceBase
{
    public override async Task<CreateAlertRuleResponse> CreateAlertRule(CreateAlertRuleRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var r = request.Rule ?? new AlertRule();
        v.Check(request.Rule is not null, "rule", "is required");
        var code = v.Text(r.IndicatorCode, "rule.indicator_code", 32);
        var areaId = v.Id(r.AreaId, "rule.area_id");
        var metricText = v.Text(r.Metric, "rule.metric", 80);
        v.Check(metricText.Length == 0 || AggregateMetric.TryParse(metricText, out _), "rule.metric",
            "must be mean, sum, sum_weights, n, n_missing, percent:<category>, weighted_count:<category> or count:<category>");
        var condition = v.Condition(r.Condition, "rule.condition");
        v.Enum(r.PeriodType, "rule.period_type");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().Require(area.WatershedCode, Roles.Facilitator);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var metric = AggregateMetric.Parse(metricText);
        foreach (var error in new DomainAlertRule("", indicator.Code, area.Id.ToString(), metric, condition!).Validate(indicator))
        {
            v.Add($"rule.{error.Field}", error.Reason);
        }

        v.ThrowIfInvalid();
        var row = new AlertRuleRow
        {
            Id = Guid.CreateVersion7(),
            IndicatorCode = indicator.Code,
            AreaId = area.Id,
            Metric = metric.ToString(),
            Operator = condition!.Operator,
            Threshold = condition.Threshold,
            PeriodType = r.PeriodType.ToDomain<PeriodType>(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.AlertRules.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateAlertRuleResponse { Rule = row.ToContract() };
    }

    public override async Task<ListAlertRulesResponse> ListAlertRules(ListAlertRulesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var areaId = v.Id(request.AreaId, "area_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireRead(area.WatershedCode);
        var items = await db.AlertRules.AsNoTracking().Where(x => x.AreaId == area.Id && x.DeletedAt == null)
            .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListAlertRulesResponse { Page = page.Next(items) };
        response.Rules.AddRange(items.Select(x => x.ToContract()));
        return response;
    }

    public override async Task<DeleteAlertRuleResponse> DeleteAlertRule(DeleteAlertRuleRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.Id, "id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var rule = await db.AlertRules.SingleOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct)
            ?? throw new NotFoundException("alert_rule", id.ToString());
        var area = await db.AreaAsync(rule.AreaId, ct);
        context.Caller().Require(area.WatershedCode, Roles.Facilitator);
        rule.DeletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new DeleteAlertRuleResponse();
    }

    public override async Task<ListAlertsResponse> ListAlerts(ListAlertsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var areaId = v.Id(request.AreaId, "area_id");
        v.OptionalEnum(request.State, "state");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireRead(area.WatershedCode);
        var query =
            from a in db.Alerts.AsNoTracking()
            join rule in db.AlertRules.AsNoTracking() on a.RuleId equals rule.Id
            where rule.AreaId == area.Id
            select new { Alert = a, Rule = rule };
        if (request.State != AlertState.Unspecified)
        {
            var state = (Data.AlertState)request.State;
            query = query.Where(x => x.Alert.State == state);
        }

        // Oldest first: a rule's alerts read as its history, raised then cleared.
        var items = await query.OrderBy(x => x.Alert.PeriodStart).ThenBy(x => x.Alert.ChangedAt).ThenBy(x => x.Alert.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListAlertsResponse { Page = page.Next(items) };
        response.Alerts.AddRange(items.Select(x => x.Alert.ToContract(x.Rule)));
        return response;
    }
}
