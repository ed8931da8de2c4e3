using System.Text.Json;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DomainDhis2ElementMapping = Watershed.Indicators.Domain.Export.Dhis2ElementMapping;
using DomainDhis2Mapping = Watershed.Indicators.Domain.Export.Dhis2Mapping;
using Dhis2Mapping = Watershed.Indicators.V1.Dhis2Mapping;

namespace Watershed.Indicators.Grpc;

public sealed class AggregateGrpcService(IndicatorsDbContext db, AreaFigures figures, TimeProvider clock) : AggregateService.AggregateServiceBase
{
    public override async Task<GetAggregateResponse> GetAggregate(GetAggregateRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.IndicatorCode, "indicator_code", 32);
        var areaId = v.Id(request.AreaId, "area_id");
        var period = v.Period(request.Period, "period");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireRead(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var aggregate = await figures.ComputeOneAsync(area.WatershedCode, indicator, area.Id, period!, ct);
        return new GetAggregateResponse { Aggregate = aggregate.ToContract() };
    }

    public override async Task<ListAggregatesResponse> ListAggregates(ListAggregatesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.IndicatorCode, "indicator_code", 32);
        var areaId = v.Id(request.AreaId, "area_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var area = await db.AreaAsync(areaId, ct);
        context.Caller().RequireRead(area.WatershedCode);
        var watershed = await db.WatershedOfAsync(area, ct);
        var indicator = await db.IndicatorAsync(watershed.Id, code, ct);
        var areaIds = new List<Guid> { area.Id };
        if (request.IncludeDescendants)
        {
            var areas = await db.AreasOfAsync(area.WatershedCode, ct);
            var inside = Lookups.Hierarchy(areas).SelfAndDescendants(area.Id.ToString());
            areaIds.AddRange(areas.Where(a => a.Id != area.Id && inside.Contains(a.Id.ToString()))
                .OrderBy(a => a.Level).ThenBy(a => a.Name).ThenBy(a => a.Id).Select(a => a.Id));
        }

        var all = await figures.ComputeAsync(area.WatershedCode, [indicator], areaIds, periods, onlyWithHouseholds: true, ct);
        var items = all.Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListAggregatesResponse { Page = page.Next(items) };
        response.Aggregates.AddRange(items.Select(a => a.ToContract()));
        return response;
    }

    public override async Task<SetDhis2MappingResponse> SetDhis2Mapping(SetDhis2MappingRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var mapping = request.Mapping is null ? null : ToDomain(request.Mapping);
        if (mapping is null)
        {
            v.Add("mapping", "is required");
        }
        else
        {
            foreach (var error in mapping.Validate())
            {
                v.Add($"mapping.{error.Field}", error.Reason);
            }

            foreach (var (i, element) in mapping.Elements.Index())
            {
                v.Check(element.IndicatorCode.Length > 0, $"mapping.elements[{i}].indicator_code", "is required");
            }
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.WatershedCode, Roles.Facilitator);

        // Codes and areas exist only in the watershed: checked once it is loaded, still as the caller's mistakes.
        var indicators = (await db.IndicatorsAsync(watershed.Id, ct)).ToDictionary(i => i.Code);
        var areas = (await db.AreasOfAsync(watershed.WatershedCode, ct)).Select(a => a.Id.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (i, element) in mapping!.Elements.Index())
        {
            if (!indicators.TryGetValue(element.IndicatorCode, out var indicator))
            {
                v.Add($"mapping.elements[{i}].indicator_code", $"the watershed has no indicator {element.IndicatorCode}");
            }
            else if (Domain.Aggregation.AggregateMetric.Parse(element.Metric) is { IsPerCategory: true } metric && !indicator.HasCategory(metric.Category!))
            {
                v.Add($"mapping.elements[{i}].metric", $"{indicator.Code} has no category '{metric.Category}'");
            }
        }

        foreach (var area in mapping.OrgUnits.Keys.Where(a => !areas.Contains(a)).Order(StringComparer.Ordinal))
        {
            v.Add($"mapping.org_units[{area}]", "is not the id of an area of this watershed");
        }

        v.ThrowIfInvalid();
        var json = JsonSerializer.Serialize(mapping);
        var row = await db.Dhis2Mappings.SingleOrDefaultAsync(m => m.WatershedAreaId == watershed.Id, ct);
        if (row is null)
        {
            db.Dhis2Mappings.Add(new Dhis2MappingRow { WatershedAreaId = watershed.Id, MappingJson = json, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            row.MappingJson = json;
            row.UpdatedAt = clock.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
        return new SetDhis2MappingResponse { Mapping = ToContract(mapping) };
    }

    public override async Task<GetDhis2MappingResponse> GetDhis2Mapping(GetDhis2MappingRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var mapping = await MappingAsync(watershed, ct);
        return new GetDhis2MappingResponse { Mapping = mapping is null ? new Dhis2Mapping() : ToContract(mapping) };
    }

    public override async Task<ExportDhis2DataValueSetResponse> ExportDhis2DataValueSet(ExportDhis2DataValueSetRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var mapping = await MappingAsync(watershed, ct);
        if (mapping is null || mapping.Elements.Count == 0)
        {
            throw new PreconditionFailedException("DHIS2_MAPPING", watershed.Id.ToString(),
                "The watershed has no DHIS2 mapping: set one with SetDhis2Mapping first.");
        }

        var codes = mapping.Elements.Select(e => e.IndicatorCode).ToHashSet(StringComparer.Ordinal);
        var indicators = (await db.IndicatorsAsync(watershed.Id, ct)).Where(i => codes.Contains(i.Code)).ToList();
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var aggregates = await figures.ComputeAsync(watershed.WatershedCode, indicators,
            [.. areas.OrderBy(a => a.Level).ThenBy(a => a.Name).Select(a => a.Id)], periods, onlyWithHouseholds: true, ct);
        var export = Dhis2Export.Build(aggregates, mapping);
        var response = new ExportDhis2DataValueSetResponse { DataValueSetJson = export.DataValueSet.ToJson() };
        response.UnmappedAreaIds.AddRange(export.UnmappedAreas);
        return response;
    }

    public override async Task<ExportAggregatesCsvResponse> ExportAggregatesCsv(ExportAggregatesCsvRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var periods = v.PeriodRange(request.PeriodType, request.FromPeriod, request.ToPeriod);
        foreach (var (i, code) in request.IndicatorCodes.Index())
        {
            v.Text(code, $"indicator_codes[{i}]", 32);
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var all = await db.IndicatorsAsync(watershed.Id, ct);
        foreach (var (i, code) in request.IndicatorCodes.Index().Where(p => all.All(x => x.Code != p.Item)))
        {
            v.Add($"indicator_codes[{i}]", $"the watershed has no indicator {code}");
        }

        v.ThrowIfInvalid();
        var indicators = request.IndicatorCodes.Count == 0 ? all : [.. all.Where(i => request.IndicatorCodes.Contains(i.Code))];
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var aggregates = await figures.ComputeAsync(watershed.WatershedCode, indicators,
            [.. areas.OrderBy(a => a.Level).ThenBy(a => a.Name).Select(a => a.Id)], periods, onlyWithHouseholds: true, ct);
        var writer = new StringWriter();
        AggregateCsv.Write(writer, aggregates);
        return new ExportAggregatesCsvResponse { Csv = Google.Protobuf.ByteString.CopyFromUtf8(writer.ToString()) };
    }

    private async Task<DomainDhis2Mapping?> MappingAsync(AreaRow watershed, CancellationToken ct)
    {
        var row = await db.Dhis2Mappings.AsNoTracking().SingleOrDefaultAsync(m => m.WatershedAreaId == watershed.Id, ct);
        return row is null ? null : Dhis2MappingJson.Read(row.MappingJson);
    }

    private static DomainDhis2Mapping ToDomain(Dhis2Mapping m) => new(
        [.. m.Elements.Select(e => new DomainDhis2ElementMapping(e.IndicatorCode.Trim(), e.Metric.Trim(), e.DataElement.Trim(),
            string.IsNullOrWhiteSpace(e.CategoryOptionCombo) ? null : e.CategoryOptionCombo.Trim()))],
        m.OrgUnits.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal));

    private static Dhis2Mapping ToContract(DomainDhis2Mapping m)
    {
        var contract = new Dhis2Mapping();
        contract.Elements.AddRange(m.Elements.Select(e => new V1.Dhis2ElementMapping
        {
            IndicatorCode = e.IndicatorCode,
            Metric = e.Metric,
            DataElement = e.DataElement,
            CategoryOptionCombo = e.CategoryOptionCombo ?? "",
        }));
        contract.OrgUnits.Add(m.OrgUnits.ToDictionary());
        return contract;
    }
}

/// <summary>A watershed's DHIS2 mapping as stored.</summary>
internal static class Dhis2MappingJson
{
    private sealed record Stored(List<DomainDhis2ElementMapping> Elements, Dictionary<string, string> OrgUnits);

    public static DomainDhis2Mapping Read(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new InvalidOperationException("A stored DHIS2 mapping is empty.");
        return new DomainDhis2Mapping(stored.Elements, stored.OrgUnits);
    }
}
