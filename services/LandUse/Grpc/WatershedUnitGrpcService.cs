using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using WatershedUnit = Watershed.LandUse.Domain.WatershedUnit;

namespace Watershed.LandUse.Grpc;

public sealed class WatershedUnitGrpcService(LandUseDbContext db) : WatershedUnitService.WatershedUnitServiceBase
{
    public override async Task<CreateWatershedUnitResponse> CreateWatershedUnit(CreateWatershedUnitRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.Code, "code", 40);
        v.Text(request.Name, "name", WatershedUnit.MaxNameLength);
        var (boundary, fault) = GeometryJson.Parse(request.BoundaryGeojson, "boundary_geojson");
        if (fault is not null)
        {
            v.Add(fault.Field, fault.Message);
        }

        v.ThrowIfInvalid();
        context.Caller().Require(code, Roles.Facilitator);
        var ct = context.CancellationToken;
        if (await db.WatershedUnits.AnyAsync(w => w.Code == code, ct))
        {
            throw new AlreadyExistsException("watershed_unit", code, $"Watershed '{code}' has a boundary already; change it instead.");
        }

        var unit = WatershedUnit.Create(Guid.CreateVersion7(), code, request.Name, boundary!);
        db.WatershedUnits.Add(unit);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new AlreadyExistsException("watershed_unit", code, $"Watershed '{code}' has a boundary already; change it instead.");
        }

        return new CreateWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<GetWatershedUnitResponse> GetWatershedUnit(GetWatershedUnitRequest request, ServerCallContext context)
    {
        var unit = await LoadAsync(request.WatershedUnitId, context);
        context.Caller().RequireRead(unit.Code);
        return new GetWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<ListWatershedUnitsResponse> ListWatershedUnits(ListWatershedUnitsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var caller = context.Caller();
        var all = await db.WatershedUnits.AsNoTracking().OrderBy(w => w.Code).ToListAsync(context.CancellationToken);
        var visible = all.Where(w => caller.CanAccess(w.Code)).Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListWatershedUnitsResponse { Page = page.Next(visible) };
        response.WatershedUnits.AddRange(visible.Select(w => w.ToContract(withBoundary: false)));
        return response;
    }

    public override async Task<RenameWatershedUnitResponse> RenameWatershedUnit(RenameWatershedUnitRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.WatershedUnitId, "watershed_unit_id");
        v.Text(request.Name, "name", WatershedUnit.MaxNameLength);
        v.ThrowIfInvalid();
        var unit = await LoadAsync(request.WatershedUnitId, context);
        context.Caller().Require(unit.Code, Roles.Facilitator);
        unit.Rename(request.Name);
        await db.SaveChangesAsync(context.CancellationToken);
        return new RenameWatershedUnitResponse { WatershedUnit = unit.ToContract() };
    }

    public override async Task<ChangeWatershedUnitBoundaryResponse> ChangeWatershedUnitBoundary(ChangeWatershedUnitBoundaryRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.WatershedUnitId, "watershed_unit_id");
        var (boundary, fault) = GeometryJson.Parse(request.BoundaryGeojson, "boundary_geojson");
        if (fault is not null)
        {
            v.Add(fault.Field, fault.Message);
        }

        v.ThrowIfInvalid();
        var unit = await LoadAsync(request.WatershedUnitId, context);
        context.Caller().Require(unit.Code, Roles.Facilitator);
        unit.ChangeBoundary(boundary!);
        await db.SaveChangesAsync(context.CancellationToken);
        return new ChangeWatershedUnitBoundaryResponse { WatershedUnit = unit.ToContract() };
    }

    private async Task<WatershedUnit> LoadAsync(string rawId, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(rawId, "watershed_unit_id");
        v.ThrowIfInvalid();
        return await db.WatershedUnits.SingleOrDefaultAsync(w => w.Id == id, context.CancellationToken)
            ?? throw new NotFoundException("watershed_unit", id.ToString());
    }
}
