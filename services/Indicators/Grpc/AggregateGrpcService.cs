using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Indicators.Grpc;

public sealed class AggregateGrpcService(IndicatorsDbContext db, AreaFigures figures, TimeProvider clock) : AggregateService.AggregateServiceBase
{
    /// <summary>The most indicators one CSV export names (a watershed has eight standard ones and its own few).</summary>
    public const int MaxIndicatorCodes = 100;

    public override async Task<GetAggregateResponse> GetAggregate(GetAggregateRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.IndicatorCode, "indicator_code", 32);
        var areaId = v.Id(request.AreaId, "area_id");
        var period = v.Period(request.Period, "period");
        var roundId = v.OptionalId(request.SurveyRoundId, "survey_round_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireReader(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var round = await RoundOfAsync(roundId, watershed, context.Caller(), ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var aggregate = await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, period!, ct, round);
        return new GetAggregateResponse { Aggregate = aggregate.ToContract(area, round) };
    }

    public override async Task<ListAggregatesResponse> ListAggregates(ListAggregatesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.IndicatorCode, "indicator_code", 32);
        var areaId = v.Id(request.AreaId, "area_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        var page = Page.From(request.Page, v);
        var roundId = v.OptionalId(request.SurveyRoundId, "survey_round_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireReader(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var round = await RoundOfAsync(roundId, watershed, context.Caller(), ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var areas = await db.AreasOfAsync(area.WatershedCode, ct);
        List<Guid> areaIds = request.IncludeDescendants
            ? [area.Id, .. areas.TopDown.Select(a => a.Id).Where(id => id != area.Id && areas.SelfAndDescendants(area.Id).Contains(id))]
            : [area.Id];

        // Aggregates are computed, not stored: a page is cut from the figures of the range, which MaxPeriods bounds.
        var all = await figures.ComputeAsync(areas, [indicator], areaIds, periods, onlyWithHouseholds: true, ct, round);
        var items = all.Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListAggregatesResponse { Page = page.Next(items) };
        response.Aggregates.AddRange(items.Select(a => a.ToContract(areas.Get(Guid.Parse(a.AreaId)), round)));
        return response;
    }

    public override async Task<SetDhis2MappingResponse> SetDhis2Mapping(SetDhis2MappingRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.Check(request.Mapping is not null, "mapping", "is required");
        var mapping = request.Mapping?.ToDomain();
        v.Add(mapping?.Validate().Select(e => e.Under("mapping")) ?? []);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: true, ct);

        // Codes and areas exist only in the watershed: checked once it is loaded, still as the caller's mistakes.
        var indicators = await db.IndicatorsAsync(watershed.Id, ct);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        v.Add(mapping!.ValidateIn(indicators, key => areas.Resolve(key)?.ToString()).Select(e => e.Under("mapping")));
        v.ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var stored = await db.Dhis2Mappings.SingleOrDefaultAsync(m => m.WatershedId == watershed.Id, ct);
        if (stored is null)
        {
            db.Dhis2Mappings.Add(WatershedDhis2Mapping.Create(watershed.Id, mapping, now));
        }
        else
        {
            stored.Replace(mapping, now);
        }

        await db.SaveChangesAsync(ct);
        return new SetDhis2MappingResponse { Mapping = mapping.ToContract() };
    }

    public override async Task<GetDhis2MappingResponse> GetDhis2Mapping(GetDhis2MappingRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: false, ct);
        var stored = await db.Dhis2Mappings.AsNoTracking().SingleOrDefaultAsync(m => m.WatershedId == watershed.Id, ct);
        return new GetDhis2MappingResponse { Mapping = stored?.Mapping.ToContract() ?? new V1.Dhis2Mapping() };
    }

    public override async Task<ExportDhis2DataValueSetResponse> ExportDhis2DataValueSet(ExportDhis2DataValueSetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        var roundId = v.OptionalId(request.SurveyRoundId, "survey_round_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: false, ct);
        var round = await RoundOfAsync(roundId, watershed, context.Caller(), ct);
        var stored = await db.Dhis2Mappings.AsNoTracking().SingleOrDefaultAsync(m => m.WatershedId == watershed.Id, ct);
        var mapping = Dhis2Export.RequireMapping(stored?.Mapping, watershed.Id);
        var codes = mapping.Elements.Select(e => e.IndicatorCode).ToHashSet(StringComparer.Ordinal);
        var indicators = (await db.IndicatorsAsync(watershed.Id, ct)).Where(i => codes.Contains(i.Code)).ToList();
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var aggregates = await figures.ComputeAsync(areas, indicators, [.. areas.TopDown.Select(a => a.Id)], periods, onlyWithHouseholds: true, ct, round);
        var export = Dhis2Export.Build(aggregates, mapping, key => areas.Resolve(key)?.ToString());
        var response = new ExportDhis2DataValueSetResponse { DataValueSetJson = export.DataValueSet.ToJson() };
        response.UnmappedAreaIds.AddRange(export.UnmappedAreas);
        response.UnmappedAreaCodes.AddRange(export.UnmappedAreas.Select(id => areas.CodeOf(Guid.Parse(id))));
        return response;
    }

    public override async Task<ExportAggregatesCsvResponse> ExportAggregatesCsv(ExportAggregatesCsvRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        if (request.IndicatorCodes.Count > MaxIndicatorCodes)
        {
            v.Add("indicator_codes", $"names at most {MaxIndicatorCodes} indicators");
        }
        else
        {
            foreach (var (i, code) in request.IndicatorCodes.Index())
            {
                v.Text(code, $"indicator_codes[{i}]", 32);
            }
        }

        var roundId = v.OptionalId(request.SurveyRoundId, "survey_round_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, context.Caller(), writing: false, ct);
        var round = await RoundOfAsync(roundId, watershed, context.Caller(), ct);
        var all = await db.IndicatorsAsync(watershed.Id, ct);
        foreach (var (i, code) in request.IndicatorCodes.Index().Where(p => all.All(x => x.Code != p.Item)))
        {
            v.Add($"indicator_codes[{i}]", $"the watershed has no indicator {TextRules.Echo(code)}");
        }

        v.ThrowIfInvalid();
        var indicators = request.IndicatorCodes.Count == 0 ? all : [.. all.Where(i => request.IndicatorCodes.Contains(i.Code))];
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var aggregates = await figures.ComputeAsync(areas, indicators, [.. areas.TopDown.Select(a => a.Id)], periods, onlyWithHouseholds: true, ct, round);
        var writer = new StringWriter();
        AggregateCsv.Write(writer, aggregates, id =>
        {
            var area = areas.Get(Guid.Parse(id));
            return (area.Code, area.Name);
        });
        return new ExportAggregatesCsvResponse { Csv = Google.Protobuf.ByteString.CopyFromUtf8(writer.ToString()) };
    }

    /// <summary>The round a read is limited to, once it is known to be one of the watershed's; null when none is asked.</summary>
    private async Task<Guid?> RoundOfAsync(Guid? roundId, Domain.Areas.Area watershed, Caller caller, CancellationToken ct)
    {
        if (roundId is not { } id)
        {
            return null;
        }

        var (round, itsWatershed) = await db.RoundAsync(id, ct);
        if (round.WatershedId != watershed.Id)
        {
            // Answered as a read of the round alone would be (PERMISSION_DENIED) before saying it lies elsewhere: an id of
            // another watershed tells a caller who may not read it nothing.
            caller.RequireReader(itsWatershed.WatershedCode);
            throw new InvalidArgumentException("survey_round_id", "is not a survey round of the area's watershed");
        }

        return round.Id;
    }
}
