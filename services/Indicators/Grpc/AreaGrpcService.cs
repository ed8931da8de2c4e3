using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Area = Watershed.Indicators.Domain.Areas.Area;
using AreaLevel = Watershed.Indicators.Domain.Areas.AreaLevel;

namespace Watershed.Indicators.Grpc;

public sealed class AreaGrpcService(IndicatorsDbContext db, TimeProvider clock) : AreaService.AreaServiceBase
{
    public override async Task<CreateAreaResponse> CreateArea(CreateAreaRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var level = v.Enum<V1.AreaLevel, AreaLevel>(request.Level, "level");
        var parentId = v.OptionalId(request.ParentId, "parent_id");
        var code = v.Text(request.Code, "code", AreaRules.MaxCodeLength).ToLowerInvariant();
        var name = v.Text(request.Name, "name", AreaRules.MaxNameLength);
        var organizationId = v.OptionalId(request.ConsultationOrganizationId, "consultation_organization_id");
        if (level is { } known)
        {
            // Checked before the caller is authorised: a parentless district would otherwise be authorised as a watershed.
            v.Add(AreaRules.Violations(known, code, request.ParentId.Length > 0));
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        Area? parent = null;
        if (parentId is { } pid)
        {
            parent = await db.AreaAsync(pid, ct);
            context.Caller().RequireWriter(parent.WatershedCode);
        }
        else
        {
            context.Caller().RequireWatershedAdministrator(code);
        }

        var area = Area.Create(level!.Value, parent, code, name, organizationId, clock.GetUtcNow());
        if (await db.Areas.AnyAsync(a => a.WatershedCode == area.WatershedCode && a.Code == area.Code, ct))
        {
            throw new AlreadyExistsException("area", code, $"An area with code '{code}' exists already in this watershed.");
        }

        db.Areas.Add(area);
        await db.SaveChangesAsync(ct);
        return new CreateAreaResponse { Area = area.ToContract() };
    }

    public override async Task<GetAreaResponse> GetArea(GetAreaRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AreaId, "area_id");
        v.ThrowIfInvalid();
        var area = await db.AreaAsync(id, context.CancellationToken);
        context.Caller().RequireReader(area.WatershedCode);
        return new GetAreaResponse { Area = area.ToContract() };
    }

    public override async Task<ListAreasResponse> ListAreas(ListAreasRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.WatershedCode, "watershed_code", 40);
        var parentId = v.OptionalId(request.ParentId, "parent_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        context.Caller().RequireReader(code);
        var query = db.Areas.AsNoTracking().Where(a => a.WatershedCode == code);
        if (parentId is { } pid)
        {
            query = query.Where(a => a.ParentId == pid);
        }

        var items = await query.OrderBy(a => a.Level).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(context.CancellationToken);
        var response = new ListAreasResponse { Page = page.Next(items) };
        response.Areas.AddRange(items.Select(a => a.ToContract()));
        return response;
    }
}
