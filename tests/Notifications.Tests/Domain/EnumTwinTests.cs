using Watershed.Testing;
using D = Watershed.Notifications.Domain;
using V1 = Watershed.Notifications.V1;

namespace Watershed.Notifications.Tests.Domain;

public sealed class EnumTwinTests
{
    [Fact]
    public void Channel() => EnumTwins.AssertTwins<V1.Channel, D.Channel>();

    [Fact]
    public void EventKind() => EnumTwins.AssertTwins<V1.EventKind, D.EventKind>();

    [Fact]
    public void Language() => EnumTwins.AssertTwins<V1.Language, D.Language>();

    [Fact]
    public void RecipientKind() => EnumTwins.AssertTwins<V1.RecipientKind, D.RecipientKind>();

    [Fact]
    public void DeliveryState() => EnumTwins.AssertTwins<V1.DeliveryState, D.DeliveryState>();

    [Fact]
    public void DeferReason() => EnumTwins.AssertTwins<V1.DeferReason, D.DeferReason>();

    [Fact]
    public void Consultation_proposal_types_map_by_number() => EnumTwins.AssertTwins<Watershed.Consultation.V1.ProposalType, D.ProposalKind>();
}
