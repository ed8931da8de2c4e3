using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using AlertRule = Watershed.Indicators.Domain.Tracking.AlertRule;
using AlertState = Watershed.Indicators.Domain.Tracking.AlertState;
using PeriodType = Watershed.Indicators.Domain.Aggregation.PeriodType;

namespace Watershed.Indicators.Grpc;

public sealed class AlertGrpcService(IndicatorsDbContext db, TimeProvider clock) : AlertService.AlertServiceBase
{
    public override async Task<CreateAlertRuleResponse> CreateAlertRule(CreateAlertRuleRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var r = request.Rule ?? new V1.AlertRule();
        v.Check(request.Rule is not null, "rule", "is required");
        var code = v.Text(r.IndicatorCode, "rule.indicator_code", 32);
        var areaId = v.Id(r.AreaId, "rule.area_id");
        var metric = v.Metric(r.Metric, "rule.metric");
        v.Check(r.Condition is not null, "rule.condition", "is required");
        var condition = r.Condition is null ? null : v.Condition(r.Condition, "rule.condition");
        var periodType = v.Enum<V1.PeriodType, PeriodType>(r.PeriodType, "rule.period_type");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireWriter(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        AlertRule rule;
        try
        {
            rule = AlertRule.Create(indicator, area.Id, metric!, condition!, periodType!.Value, clock.GetUtcNow());
        }
        catch (InvalidArgumentException ex)
        {
            throw ex.Under("rule");
        }

        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return new CreateAlertRuleResponse { Rule = rule.ToContract() };
    }

    public override async Task<ListAlertRulesResponse> ListAlertRules(ListAlertRulesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var areaId = v.Id(request.AreaId, "area_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireReader(area.WatershedCode);
        var items = await db.AlertRules.AsNoTracking().Where(x => x.AreaId == area.Id && x.DeletedAt == null)
            .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListAlertRulesResponse { Page = page.Next(items) };
        response.Rules.AddRange(items.Select(x => x.ToContract()));
        return response;
    }

    public override async Task<DeleteAlertRuleResponse> DeleteAlertRule(DeleteAlertRuleRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AlertRuleId, "alert_rule_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var rule = await db.AlertRules.SingleOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct)
            ?? throw new NotFoundException("alert_rule", id.ToString());
        var area = await db.AreaAsync(rule.AreaId, ct);
        context.Caller().RequireWriter(area.WatershedCode);
        rule.Delete(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new DeleteAlertRuleResponse();
    }

    public override async Task<ListAlertsResponse> ListAlerts(ListAlertsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var areaId = v.Id(request.AreaId, "area_id");
        var state = v.OptionalEnum<V1.AlertState, AlertState>(request.State, "state");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireReader(area.WatershedCode);
        var alerts = db.Alerts.AsNoTracking().Where(a => a.AreaId == area.Id);
        if (state is { } wanted)
        {
            alerts = alerts.Where(a => a.State == wanted);
        }

        // Oldest first: a rule's alerts read as its history, raised then cleared.
        var items = await (
            from a in alerts
            join rule in db.AlertRules.AsNoTracking() on a.RuleId equals rule.Id
            orderby a.PeriodStart, a.ChangedAt, a.Id
            select new { Alert = a, Rule = rule }).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListAlertsResponse { Page = page.Next(items) };
        response.Alerts.AddRange(items.Select(x => x.Alert.ToContract(x.Rule, area)));
        return response;
    }
}
