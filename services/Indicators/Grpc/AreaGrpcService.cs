using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using AreaLevel = Watershed.Indicators.Domain.Areas.AreaLevel;

namespace Watershed.Indicators.Grpc;

public sealed class AreaGrpcService(IndicatorsDbContext db, TimeProvider clock) : AreaService.AreaServiceBase
{
    public override async Task<CreateAreaResponse> CreateArea(CreateAreaRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Enum(request.Level, "level");
        var level = (AreaLevel)request.Level;
        var parentId = v.OptionalId(request.ParentId, "parent_id");
        var code = v.Text(request.Code, "code", 60).ToLowerInvariant();
        var name = v.Text(request.Name, "name");
        var organizationId = v.OptionalId(request.ConsultationOrganizationId, "consultation_organization_id");
        if (System.Enum.IsDefined(level))
        {
            v.Check(code.Length == 0 || AreaRules.IsValidCode(level, code), "code", AreaRules.CodeRule(level));
            v.Check(level == AreaLevel.Watershed ? request.ParentId.Length == 0 : request.ParentId.Length > 0, "parent_id",
                level == AreaLevel.Watershed ? "must be empty: a watershed lies in no other area" : "is required: a district lies in a watershed, a community in a district");
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        string watershedCode;
        if (parentId is { } pid)
        {
            var parent = await db.AreaAsync(pid, ct);
            context.Caller().Require(parent.WatershedCode, Roles.Facilitator);
            if (parent.Level != AreaRules.ParentLevel(level))
            {
                throw new InvalidArgumentException("parent_id", $"is a {parent.Level.ToString().ToLowerInvariant()}; a {level.ToString().ToLowerInvariant()} lies in a {AreaRules.ParentLevel(level)!.Value.ToString().ToLowerInvariant()}");
            }

            watershedCode = parent.WatershedCode;
        }
        else
        {
            context.Caller().Require(code, Roles.Facilitator);
            watershedCode = code;
        }

        if (await db.Areas.AnyAsync(a => a.WatershedCode == watershedCode && a.Code == code, ct))
        {
            throw Exists(code);
        }

        var area = new AreaRow
        {
            Id = Guid.CreateVersion7(),
            WatershedCode = watershedCode,
            Level = level,
            ParentId = parentId,
            Code = code,
            Name = name,
            ConsultationOrganizationId = organizationId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Areas.Add(area);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Exists(code);
        }

        return new CreateAreaResponse { Area = area.ToContract() };
    }

    public override async Task<GetAreaResponse> GetArea(GetAreaRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.Id, "id");
        v.ThrowIfInvalid();
        var area = await db.AreaAsync(id, context.CancellationToken);
        context.Caller().RequireRead(area.WatershedCode);
        return new GetAreaResponse { Area = area.ToContract() };
    }

    public override async Task<ListAreasResponse> ListAreas(ListAreasRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.WatershedCode, "watershed_code", 40);
        var parentId = v.OptionalId(request.ParentId, "parent_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        context.Caller().RequireRead(code);
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

    private static AlreadyExistsException Exists(string code) =>
        new("area", code, $"An area with code '{code}' exists already in this watershed.");
}
