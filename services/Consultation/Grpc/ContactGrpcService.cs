using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Consultation.Grpc;

/// <summary>
/// How to reach a space's roll. It holds phone numbers and e-mail addresses, so members and viewers, who may read
/// the roll itself, may not read this: only facilitators of the watershed, admins, and notifications' own identity
/// (which reads contacts for the events it sends).
/// </summary>
public sealed class ContactGrpcService(ConsultationDbContext db) : ContactService.ContactServiceBase
{
    public override async Task<ListSpaceContactsResponse> ListSpaceContacts(ListSpaceContactsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().RequireContactReader(watershed.Code);

        var rows = await db.Members.AsNoTracking()
            .Where(m => m.SpaceId == spaceId && m.LeftAt == null)
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, Person = p })
            .OrderBy(x => x.Person.FullName).ThenBy(x => x.Member.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var personIds = rows.Select(x => x.Person.Id).ToList();
        var consents = (await db.PersonConsents.AsNoTracking().Where(c => personIds.Contains(c.PersonId)).ToListAsync(ct))
            .ToLookup(c => c.PersonId);

        var response = new ListSpaceContactsResponse { Page = page.Next(rows) };
        response.Contacts.AddRange(rows.Select(x =>
        {
            var contact = new Contact
            {
                PersonId = x.Person.Id.ToString(),
                MemberId = x.Member.Id.ToString(),
                FullName = x.Person.FullName,
                PhoneNumber = x.Person.PhoneNumber,
                Email = x.Person.Email,
                PreferredLanguage = x.Person.PreferredLanguage,
                Role = x.Member.Role.ToContract<Domain.MemberRole, V1.MemberRole>(),
            };
            contact.Consents.AddRange(consents[x.Person.Id].ToContract());
            return contact;
        }));
        return response;
    }
}
