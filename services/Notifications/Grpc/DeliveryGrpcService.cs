using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Notifications.Data;
using Watershed.Notifications.Domain;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;
using RecipientKind = Watershed.Notifications.Domain.RecipientKind;

namespace Watershed.Notifications.Grpc;

public sealed class DeliveryGrpcService(NotificationsDbContext db) : DeliveryService.DeliveryServiceBase
{
    public override async Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershed = v.Text(request.WatershedCode, "watershed_code", 40);
        var eventId = v.OptionalLine(request.EventId, "event_id", 100);
        var personId = request.RecipientCase == ListDeliveriesRequest.RecipientOneofCase.PersonId ? v.Id(request.PersonId, "person_id") : (Guid?)null;
        var watcherId = request.RecipientCase == ListDeliveriesRequest.RecipientOneofCase.WatcherId ? v.Id(request.WatcherId, "watcher_id") : (Guid?)null;
        v.OptionalEnum(request.State, "state");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        context.Caller().RequireDeliveryReader(watershed);

        var query = db.Deliveries.AsNoTracking().Where(d => d.WatershedCode == watershed);
        if (eventId.Length > 0)
        {
            query = query.Where(d => d.EventId == eventId);
        }

        if (personId is { } person)
        {
            query = query.Where(d => d.RecipientKind == RecipientKind.Member && d.RecipientId == person);
        }

        if (watcherId is { } watcher)
        {
            query = query.Where(d => d.RecipientKind == RecipientKind.Watcher && d.RecipientId == watcher);
        }

        if (request.State.ToDomainOrNull<V1.DeliveryState, DeliveryState>() is { } state)
        {
            query = query.Where(d => d.State == state);
        }

        var deliveries = await query.Include(d => d.DigestItems).AsSplitQuery()
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(context.CancellationToken);
        var response = new ListDeliveriesResponse { Page = page.Next(deliveries) };
        response.Deliveries.AddRange(deliveries.Select(d => d.ToContract()));
        return response;
    }

    public override async Task<GetDeliveryResponse> GetDelivery(GetDeliveryRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.DeliveryId, "delivery_id");
        v.ThrowIfInvalid();
        var delivery = await db.Deliveries.AsNoTracking().Include(d => d.DigestItems)
            .SingleOrDefaultAsync(d => d.Id == id, context.CancellationToken) ?? throw new NotFoundException("delivery", id.ToString());
        context.Caller().RequireDeliveryReader(delivery.WatershedCode);
        return new GetDeliveryResponse { Delivery = delivery.ToContract() };
    }
}
