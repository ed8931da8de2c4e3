using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.Domain;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Organization = Watershed.Consultation.Domain.Organization;
using OrganizationKind = Watershed.Consultation.Domain.OrganizationKind;
using Person = Watershed.Consultation.Domain.Person;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;

namespace Watershed.Consultation.Grpc;

public sealed class StakeholderGrpcService(ConsultationDbContext db, TimeProvider clock) : StakeholderService.StakeholderServiceBase
{
    public override async Task<CreateWatershedResponse> CreateWatershed(CreateWatershedRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var code = v.Text(request.Code, "code", 40).ToLowerInvariant();
        v.Check(code.Length == 0 || WatershedEntity.IsValidCode(code), "code", "must be 2–40 lower-case letters, digits or '-', starting with a letter");
        var name = v.Text(request.Name, "name");
        var region = v.OptionalText(request.Region, "region", 200);
        var district = v.OptionalText(request.District, "district", 200);
        v.ThrowIfInvalid();
        context.Caller().RequireAdmin();

        var ct = context.CancellationToken;
        if (await db.Watersheds.AnyAsync(w => w.Code == code, ct))
        {
            throw new AlreadyExistsException("watershed", code, $"A watershed with code '{code}' exists already.");
        }

        var watershed = new WatershedEntity
        {
            Id = Guid.CreateVersion7(),
            Code = code,
            Name = name,
            Region = region,
            District = district,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Watersheds.Add(watershed);
        await db.SaveChangesAsync(ct);
        return new CreateWatershedResponse { Watershed = watershed.ToContract() };
    }

    public override async Task<GetWatershedResponse> GetWatershed(GetWatershedRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.WatershedId, "watershed_id");
        v.ThrowIfInvalid();
        var watershed = await db.WatershedAsync(id, context.CancellationToken);
        context.Caller().RequireRead(watershed.Code);
        return new GetWatershedResponse { Watershed = watershed.ToContract() };
    }

    public override async Task<ListWatershedsResponse> ListWatersheds(ListWatershedsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var caller = context.Caller();
        // Scope is by code and codes are few: filter in memory after the ordered read.
        var all = await db.Watersheds.AsNoTracking().OrderBy(w => w.Code).ToListAsync(context.CancellationToken);
        var visible = all.Where(w => caller.CanAccess(w.Code)).Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListWatershedsResponse { Page = page.Next(visible) };
        response.Watersheds.AddRange(visible.Select(w => w.ToContract()));
        return response;
    }

    public override async Task<CreateOrganizationResponse> CreateOrganization(CreateOrganizationRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = v.Text(request.Name, "name");
        v.Enum(request.Kind, "kind");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        if (await db.Organizations.AnyAsync(o => o.WatershedId == watershedId && o.Name == name, ct))
        {
            throw new AlreadyExistsException("organization", name, $"An organisation named '{name}' exists already in this watershed.");
        }

        var organization = new Organization
        {
            Id = Guid.CreateVersion7(),
            WatershedId = watershedId,
            Name = name,
            Kind = (OrganizationKind)request.Kind,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        return new CreateOrganizationResponse { Organization = organization.ToContract() };
    }

    public override async Task<GetOrganizationResponse> GetOrganization(GetOrganizationRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.OrganizationId, "organization_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException("organization", id.ToString());
        context.Caller().RequireRead((await db.WatershedAsync(organization.WatershedId, ct)).Code);
        return new GetOrganizationResponse { Organization = organization.ToContract() };
    }

    public override async Task<ListOrganizationsResponse> ListOrganizations(ListOrganizationsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        context.Caller().RequireRead((await db.WatershedAsync(watershedId, ct)).Code);
        var items = await db.Organizations.AsNoTracking().Where(o => o.WatershedId == watershedId)
            .OrderBy(o => o.Name).ThenBy(o => o.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListOrganizationsResponse { Page = page.Next(items) };
        response.Organizations.AddRange(items.Select(o => o.ToContract()));
        return response;
    }

    public override async Task<CreatePersonResponse> CreatePerson(CreatePersonRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = v.Text(request.FullName, "full_name");
        var organizationId = v.OptionalId(request.OrganizationId, "organization_id");
        var phone = v.OptionalText(request.PhoneNumber, "phone_number", 16);
        v.Check(phone.Length == 0 || Person.IsValidPhoneNumber(phone), "phone_number", "must be in E.164 form, e.g. +51984123456");
        var language = Person.NormaliseLanguage(request.PreferredLanguage);
        v.Check(language is not null, "preferred_language", "must be es-PE, qu-PE (or quz) or en");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        if (organizationId is { } orgId && !await db.Organizations.AnyAsync(o => o.Id == orgId && o.WatershedId == watershedId, ct))
        {
            throw new NotFoundException("organization", orgId.ToString());
        }

        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            WatershedId = watershedId,
            FullName = name,
            OrganizationId = organizationId,
            PhoneNumber = phone,
            PreferredLanguage = language!,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Persons.Add(person);
        await db.SaveChangesAsync(ct);
        return new CreatePersonResponse { Person = person.ToContract() };
    }

    public override async Task<GetPersonResponse> GetPerson(GetPersonRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.PersonId, "person_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("person", id.ToString());
        context.Caller().RequireRead((await db.WatershedAsync(person.WatershedId, ct)).Code);
        return new GetPersonResponse { Person = person.ToContract() };
    }

    public override async Task<ListPersonsResponse> ListPersons(ListPersonsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        context.Caller().RequireRead((await db.WatershedAsync(watershedId, ct)).Code);
        var items = await db.Persons.AsNoTracking().Where(p => p.WatershedId == watershedId)
            .OrderBy(p => p.FullName).ThenBy(p => p.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListPersonsResponse { Page = page.Next(items) };
        response.Persons.AddRange(items.Select(p => p.ToContract()));
        return response;
    }
}
