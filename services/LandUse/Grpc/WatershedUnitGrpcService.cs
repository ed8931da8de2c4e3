using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using WatershedUnit = Watershed.LandUse.Domain.WatershedUnit;

namespace Watershed.LandUse.Grpc;

public sealed class WatershedUnitGrpcService(LandUseDbContext db, TimeProvider clock) : WatershedUnitService.WatershedUnitServiceBase
{
    public override async Task<CreateWatershedUnitResponse> CreateWatershedUnit(CreateWatershedUnitRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.Code, "code", 40);
        v.Text(request.Name, "name", WatershedUnit.MaxNameLength);
        var boundary = Boundary(request.BoundaryGeojson, v);
        v.ThrowIfInvalid();
        context.Caller().RequireWriter(code);
        var ct = context.CancellationToken;
        if (await db.WatershedUnits.AnyAsync(w => w.Code == code, ct))
        {
            throw new AlreadyExistsException("watershed_unit", code, $"Watershed '{code}' has a boundary already; change it instead.");
        }

        // A concurrent create of the same code loses on the unique key: ALREADY_EXISTS, as when it comes second.
        var unit = WatershedUnit.Create(Guid.CreateVersion7(clock.GetUtcNow()), code, request.Name, boundary!);
        db.WatershedUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        return new CreateWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<GetWatershedUnitResponse> GetWatershedUnit(GetWatershedUnitRequest request, ServerCallContext context)
    {
        var id = ValidId(request.WatershedUnitId);
        var unit = await LoadAsync(id, context.CancellationToken, tracked: false);
        context.Caller().RequireReader(unit.Code);
        return new GetWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<ListWatershedUnitsResponse> ListWatershedUnits(ListWatershedUnitsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var caller = context.Caller();
        caller.RequireKnownRole();
        var ct = context.CancellationToken;
        var codes = await db.WatershedUnits.Select(w => w.Code).ToListAsync(ct);
        var visible = codes.Where(caller.CanAccess).ToList();
        // Without boundaries: a list answers names and areas, and a boundary may be large.
        var units = await db.WatershedUnits
            .Where(w => visible.Contains(w.Code))
            .OrderBy(w => w.Code).ThenBy(w => w.Id)
            .Skip(page.Offset).Take(page.Take)
            .Select(w => new V1.WatershedUnit { Id = w.Id.ToString(), Code = w.Code, Name = w.Name, AreaHa = w.AreaHectares })
            .ToListAsync(ct);
        var response = new ListWatershedUnitsResponse { Page = page.Next(units) };
        response.WatershedUnits.AddRange(units);
        return response;
    }

    public override async Task<RenameWatershedUnitResponse> RenameWatershedUnit(RenameWatershedUnitRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.WatershedUnitId, "watershed_unit_id");
        v.Text(request.Name, "name", WatershedUnit.MaxNameLength);
        v.ThrowIfInvalid();
        var unit = await LoadAsync(id, context.CancellationToken, tracked: true);
        context.Caller().RequireWriter(unit.Code);
        unit.Rename(request.Name);
        await db.SaveChangesAsync(context.CancellationToken);
        return new RenameWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<ChangeWatershedUnitBoundaryResponse> ChangeWatershedUnitBoundary(ChangeWatershedUnitBoundaryRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.WatershedUnitId, "watershed_unit_id");
        var boundary = Boundary(request.BoundaryGeojson, v);
        v.ThrowIfInvalid();
        var unit = await LoadAsync(id, context.CancellationToken, tracked: true);
        context.Caller().RequireWriter(unit.Code);
        unit.ChangeBoundary(boundary!);
        await db.SaveChangesAsync(context.CancellationToken);
        return new ChangeWatershedUnitBoundaryResponse { WatershedUnit = unit.ToContract() };
    }

    private static NetTopologySuite.Geometries.Geometry? Boundary(string json, Validation v)
    {
        var (boundary, violations) = GeometryJson.ParseBoundary(json, WatershedUnit.BoundaryField);
        foreach (var violation in violations)
        {
            v.Add(violation.Field, violation.Description);
        }

        return boundary;
    }

    private static Guid ValidId(string raw)
    {
        var v = new Validation();
        var id = v.Id(raw, "watershed_unit_id");
        v.ThrowIfInvalid();
        return id;
    }

    private async Task<WatershedUnit> LoadAsync(Guid id, CancellationToken ct, bool tracked)
    {
        var units = tracked ? db.WatershedUnits : db.WatershedUnits.AsNoTracking();
        return await units.SingleOrDefaultAsync(w => w.Id == id, ct)
            ?? throw new NotFoundException("watershed_unit", id.ToString());
    }
}
