using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Organization = Watershed.Consultation.Domain.Organization;
using Person = Watershed.Consultation.Domain.Person;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;

namespace Watershed.Consultation.Grpc;

public sealed class StakeholderGrpcService(ConsultationDbContext db, TimeProvider clock) : StakeholderService.StakeholderServiceBase
{
    public override async Task<CreateWatershedResponse> CreateWatershed(CreateWatershedRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var (code, _, _, _) = WatershedEntity.Check(v, request.Code, request.Name, request.Region, request.District);
        v.ThrowIfInvalid();
        context.Caller().RequireAdmin();

        var ct = context.CancellationToken;
        if (await db.Watersheds.AnyAsync(w => w.Code == code, ct))
        {
            throw WatershedExists(code);
        }

        var watershed = WatershedEntity.Create(request.Code, request.Name, request.Region, request.District, clock.GetUtcNow());
        db.Watersheds.Add(watershed);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A request that raced another with the same code and lost gets the same answer as one that came second.
            throw WatershedExists(code);
        }

        return new CreateWatershedResponse { Watershed = watershed.ToContract() };
    }

    private static AlreadyExistsException WatershedExists(string code) =>
        new("watershed", code, $"A watershed with code '{code}' exists already.");

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
        caller.RequireKnownRole();
        // Scope is by code and codes are few: filter in memory after the ordered read.
        var all = await db.Watersheds.AsNoTracking().OrderBy(w => w.Code).ToListAsync(context.CancellationToken);
        var visible = all.Where(w => caller.CanRead(w.Code)).Skip(page.Offset).Take(page.Take).ToList();
        var response = new ListWatershedsResponse { Page = page.Next(visible) };
        response.Watersheds.AddRange(visible.Select(w => w.ToContract()));
        return response;
    }

    public override async Task<CreateOrganizationResponse> CreateOrganization(CreateOrganizationRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = Organization.CheckName(v, request.Name);
        v.Enum(request.Kind, "kind");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        if (await db.Organizations.AnyAsync(o => o.WatershedId == watershedId && o.Name == name, ct))
        {
            throw OrganizationExists(name);
        }

        var organization = Organization.Create(watershedId, request.Name, request.Kind.ToDomain<V1.OrganizationKind, Domain.OrganizationKind>(), clock.GetUtcNow());
        db.Organizations.Add(organization);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A request that raced another with the same name and lost gets the same answer as one that came second.
            throw OrganizationExists(name);
        }

        return new CreateOrganizationResponse { Organization = organization.ToContract() };
    }

    private static AlreadyExistsException OrganizationExists(string name) =>
        new("organization", name, $"An organisation named '{name}' exists already in this watershed.");

    public override async Task<GetOrganizationResponse> GetOrganization(GetOrganizationRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.OrganizationId, "organization_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var organization = await db.OrganizationAsync(id, ct);
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
        var organizationId = v.OptionalId(request.OrganizationId, "organization_id");
        List<Domain.ContactChannel?> channels = [.. request.ConsentedChannels.Select((c, i) =>
            v.Enum(c, $"consented_channels[{i}]").DefinedOrNull<V1.ContactChannel, Domain.ContactChannel>())];
        Person.Check(v, request.FullName, request.PhoneNumber, request.PreferredLanguage, request.Email, channels);
        var dni = Person.CheckNationalId(v, request.NationalId);
        var sex = v.OptionalEnum(request.Sex, "sex").DefinedOrNull<V1.Sex, Domain.Sex>();
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var organization = await db.OptionalOrganizationAsync(organizationId, ct);
        if (dni.Length > 0 && await db.Persons.AnyAsync(p => p.WatershedId == watershedId && p.NationalId == dni, ct))
        {
            throw Person.NationalIdTaken();
        }

        var person = Person.Create(watershedId, request.FullName, organization, request.PhoneNumber, request.PreferredLanguage, clock.GetUtcNow(),
            request.Email, channels, dni, sex);
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
        var person = await db.PersonAsync(id, ct);
        var caller = context.Caller();
        var code = (await db.WatershedAsync(person.WatershedId, ct)).Code;
        caller.RequireRollReader(code);
        return new GetPersonResponse { Person = person.ToContract(caller.SeesContactDetailsOf(code, person.Id)) };
    }

    public override async Task<ListPersonsResponse> ListPersons(ListPersonsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var caller = context.Caller();
        var code = (await db.WatershedAsync(watershedId, ct)).Code;
        caller.RequireRollReader(code);
        var items = await db.Persons.AsNoTracking().Include(p => p.Consents).Where(p => p.WatershedId == watershedId)
            .OrderBy(p => p.FullName).ThenBy(p => p.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListPersonsResponse { Page = page.Next(items) };
        response.Persons.AddRange(items.Select(p => p.ToContract(caller.SeesContactDetailsOf(code, p.Id))));
        return response;
    }
}
