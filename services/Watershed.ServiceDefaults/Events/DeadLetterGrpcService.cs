using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Events.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.ServiceDefaults.Events;

/// <summary>Lists the poison events this service kept from its dead-letter topic, newest first (admin only).</summary>
public sealed class DeadLetterGrpcService<TContext>(TContext db) : DeadLetterService.DeadLetterServiceBase
    where TContext : DbContext
{
    public override async Task<ListDeadLettersResponse> ListDeadLetters(ListDeadLettersRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        context.Caller().RequireAdmin();

        var items = await db.Set<Events.DeadLetter>().AsNoTracking()
            .OrderByDescending(d => d.Sequence).Skip(page.Offset).Take(page.Take).ToListAsync(context.CancellationToken);
        var response = new ListDeadLettersResponse { Page = page.Next(items) };
        response.DeadLetters.AddRange(items.Select(d => new Watershed.Events.V1.DeadLetter
        {
            EventId = d.EventId,
            Topic = d.Topic,
            Type = d.Type,
            Source = d.Source,
            Subject = d.Subject,
            Data = d.Data,
            ReceivedAt = Timestamp.FromDateTimeOffset(d.ReceivedAt),
        }));
        return response;
    }
}
