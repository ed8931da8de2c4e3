using Watershed.Testing;
using V1 = Watershed.Consultation.V1;
using D = Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Each domain enum is its proto enum's twin (names and numbers), so mapping by number is exact.</summary>
public sealed class EnumTwinsTests
{
    [Fact] public void OrganizationKind() => EnumTwins.AssertTwins<V1.OrganizationKind, D.OrganizationKind>();

    [Fact] public void ContactChannel() => EnumTwins.AssertTwins<V1.ContactChannel, D.ContactChannel>();

    [Fact] public void SpaceKind() => EnumTwins.AssertTwins<V1.SpaceKind, D.SpaceKind>();

    [Fact] public void MemberRole() => EnumTwins.AssertTwins<V1.MemberRole, D.MemberRole>();

    [Fact] public void AssemblyState() => EnumTwins.AssertTwins<V1.AssemblyState, D.AssemblyState>();

    [Fact] public void AssemblyCall() => EnumTwins.AssertTwins<V1.AssemblyCall, D.AssemblyCall>();

    [Fact] public void ProposalType() => EnumTwins.AssertTwins<V1.ProposalType, D.ProposalType>();

    [Fact] public void ProposalState() => EnumTwins.AssertTwins<V1.ProposalState, D.ProposalState>();

    [Fact] public void DecisionRule() => EnumTwins.AssertTwins<V1.DecisionRule, D.DecisionRule>();

    [Fact] public void VoteChoice() => EnumTwins.AssertTwins<V1.VoteChoice, D.VoteChoice>();

    [Fact] public void BallotState() => EnumTwins.AssertTwins<V1.BallotState, D.BallotState>();

    [Fact] public void VoteChannel() => EnumTwins.AssertTwins<V1.VoteChannel, D.VoteChannel>();

    [Fact] public void BallotSecrecy() => EnumTwins.AssertTwins<V1.BallotSecrecy, D.BallotSecrecy>();

    [Fact] public void PaperTallyState() => EnumTwins.AssertTwins<V1.PaperTallyState, D.PaperTallyState>();

    [Fact] public void ReceiptMode() => EnumTwins.AssertTwins<V1.ReceiptMode, D.ReceiptMode>();

    [Fact] public void Sex() => EnumTwins.AssertTwins<V1.Sex, D.Sex>();

    [Fact] public void BallotLogEntryKind() => EnumTwins.AssertTwins<V1.BallotLogEntryKind, D.BallotLogEntryKind>();
}
