using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Security;
using Area = Watershed.Indicators.Domain.Areas.Area;
using Condition = Watershed.Indicators.Domain.Condition;
using CustomAggregation = Watershed.Indicators.Domain.Custom.CustomAggregation;
using CustomDefinition = Watershed.Indicators.Domain.Custom.CustomDefinition;
using Direction = Watershed.Indicators.Domain.Direction;

namespace Watershed.Indicators.Grpc;

public sealed class IndicatorGrpcService(IndicatorsDbContext db, TimeProvider clock) : IndicatorService.IndicatorServiceBase
{
    public override async Task<ListIndicatorsResponse> ListIndicators(ListIndicatorsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: false, ct);
        var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
        var response = new ListIndicatorsResponse();
        response.Indicators.AddRange(HouseholdScorer.Indicators.Select(i => i.ToContract()));
        response.Indicators.AddRange(customs.Select(c => c.ToContract()));
        return response;
    }

    public override async Task<GetIndicatorResponse> GetIndicator(GetIndicatorRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var code = v.Text(request.IndicatorCode, "indicator_code", 32);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: false, ct);
        var custom = await db.CustomIndicators.AsNoTracking().SingleOrDefaultAsync(c => c.WatershedId == watershed.Id && c.Code == code, ct);
        var indicator = custom?.ToContract() ?? HouseholdScorer.Find(code)?.ToContract() ?? throw new NotFoundException("indicator", code);
        return new GetIndicatorResponse { Indicator = indicator };
    }

    public override async Task<CreateCustomIndicatorResponse> CreateCustomIndicator(CreateCustomIndicatorRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var direction = v.Enum<V1.Direction, Direction>(request.Direction, "direction");
        v.Check(request.Definition is not null, "definition", "is required");
        var d = request.Definition ?? new V1.CustomDefinition();
        var aggregation = v.Enum<V1.CustomAggregation, CustomAggregation>(d.Aggregation, "definition.aggregation");
        var condition = d.Condition is null ? null : v.Condition(d.Condition, "definition.condition");
        var code = v.Text(request.Code, "code", 32);
        var name = v.Text(request.Name, "name", CustomIndicator.MaxNameLength);
        var unit = v.Text(request.Unit, "unit", CustomIndicator.MaxUnitLength);
        var answerField = v.Text(d.AnswerField, "definition.answer_field", 100);
        v.ThrowIfInvalid();
        // The domain's rules, before the caller is authorised, so a request learns every mistake it can fix alone.
        var definition = new CustomDefinition(aggregation!.Value, condition, answerField);
        v.Add(CustomIndicator.Validate(code, name, unit, direction!.Value, definition));
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: true, ct);
        var created = await db.InTransactionAsync(async token =>
        {
            // Exclusive against ingests into the watershed (they hold its row's share lock): every household is
            // either stored before and scored here, or stored after and scored by its ingest.
            await db.LoadForUpdateAsync<Area>(watershed.Id, "area", token);
            var indicator = CustomIndicator.Define(watershed.Id, code, name, unit, direction.Value, definition, clock.GetUtcNow());
            if (await db.CustomIndicators.AnyAsync(c => c.WatershedId == watershed.Id && c.Code == indicator.Code, token))
            {
                throw new AlreadyExistsException("indicator", indicator.Code, $"The watershed has an indicator with code '{indicator.Code}' already.");
            }

            db.CustomIndicators.Add(indicator);
            await db.SaveChangesAsync(token);
            await db.ScoreStoredHouseholdsAsync(indicator, token);
            return indicator;
        }, ct);
        return new CreateCustomIndicatorResponse { Indicator = created.ToContract() };
    }
}
