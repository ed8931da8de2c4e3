using Watershed.ServiceDefaults.Events;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Notifications.Events;

// Who hears of what. A ballot's result goes to the members who voted on it, with the count; watchers hear of the
// decision itself (ProposalDecided, published with it), so nobody gets the same news twice.

public sealed class AssemblyConvenedHandler(Notifier notifier) : IEventHandler<ConsultationV1.AssemblyConvened>
{
    public Task HandleAsync(ConsultationV1.AssemblyConvened message, EventContext context, CancellationToken ct)
    {
        var (notice, space) = message.ToNotice();
        return notifier.NotifyAsync(notice, context, space, watchers: true, ct);
    }
}

public sealed class BallotClosedHandler(Notifier notifier) : IEventHandler<ConsultationV1.BallotClosed>
{
    public Task HandleAsync(ConsultationV1.BallotClosed message, EventContext context, CancellationToken ct)
    {
        var (notice, space) = message.ToNotice();
        return notifier.NotifyAsync(notice, context, space, watchers: false, ct);
    }
}

public sealed class ProposalDecidedHandler(Notifier notifier) : IEventHandler<ConsultationV1.ProposalDecided>
{
    public Task HandleAsync(ConsultationV1.ProposalDecided message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}

public sealed class PlanVersionSubmittedHandler(Notifier notifier) : IEventHandler<LandUseV1.PlanVersionSubmitted>
{
    public Task HandleAsync(LandUseV1.PlanVersionSubmitted message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}

public sealed class PlanVersionApprovedHandler(Notifier notifier) : IEventHandler<LandUseV1.PlanVersionApproved>
{
    public Task HandleAsync(LandUseV1.PlanVersionApproved message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}

public sealed class AlertRaisedHandler(Notifier notifier) : IEventHandler<IndicatorsV1.AlertRaised>
{
    public Task HandleAsync(IndicatorsV1.AlertRaised message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}

public sealed class AlertClearedHandler(Notifier notifier) : IEventHandler<IndicatorsV1.AlertCleared>
{
    public Task HandleAsync(IndicatorsV1.AlertCleared message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}

public sealed class SubmissionsImportedHandler(Notifier notifier) : IEventHandler<IndicatorsV1.SubmissionsImported>
{
    public Task HandleAsync(IndicatorsV1.SubmissionsImported message, EventContext context, CancellationToken ct) =>
        notifier.NotifyAsync(message.ToNotice(), context, spaceId: null, watchers: true, ct);
}
