using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Notifications.Events;

/// <summary>
/// The members of a space's roll, with their contacts and consents, from consultation's ContactService. The typed
/// client carries deadline, retries and breaker; an event handler has no user token, so the call carries the
/// service's own (ServiceTokens). Consultation unreachable: the exception makes Dapr deliver the event again.
/// </summary>
public sealed class ContactDirectory(ContactService.ContactServiceClient contacts)
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<Recipient>> MembersAsync(Guid spaceId, CancellationToken ct)
    {
        var members = new List<Recipient>();
        var token = string.Empty;
        do
        {
            ListSpaceContactsResponse page;
            try
            {
                page = await contacts.ListSpaceContactsAsync(new ListSpaceContactsRequest
                {
                    SpaceId = spaceId.ToString(),
                    Page = new Watershed.Common.V1.PageRequest { PageSize = PageSize, PageToken = token },
                }, cancellationToken: ct);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                throw new PoisonEventException($"consultation knows no space {spaceId}");
            }

            members.AddRange(page.Contacts.Where(c => Guid.TryParse(c.PersonId, out _)).Select(ToRecipient));
            token = page.Page?.NextPageToken ?? string.Empty;
        }
        while (token.Length > 0);

        return members;
    }

    private static Recipient ToRecipient(Contact contact)
    {
        // The latest record per channel is the one in force.
        var consents = contact.Consents
            .Where(c => c.Channel is ContactChannel.Sms or ContactChannel.Email)
            .GroupBy(c => c.Channel == ContactChannel.Sms ? Channel.Sms : Channel.Email)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.RecordedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).Last().Granted);
        return Recipient.Member(Guid.Parse(contact.PersonId), contact.PhoneNumber.Trim(), contact.Email.Trim(), contact.PreferredLanguage, consents);
    }
}
