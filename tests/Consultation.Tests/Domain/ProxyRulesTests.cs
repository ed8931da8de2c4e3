using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Who a proxy represents in the electorate and in quorum, and when one may be registered.</summary>
public sealed class ProxyRulesTests
{
    private static readonly ProxyFacts Clear = new(false, false, false, false, 0);

    private static Space ProxySpace(int max = 1, bool countInQuorum = false) =>
        Space.Create(Guid.NewGuid(), "Asamblea General", SpaceKind.CommunityAssembly, null, null, false, [], Samples.Now,
            new SpaceSettings(MaxProxiesPerHolder: max, ProxiesCountForQuorum: countInQuorum));

    [Fact]
    public void A_proxy_counts_while_its_member_is_absent_and_its_holder_present()
    {
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var electorate = Electorate.Of([
            new RollEntry(a, MemberRole.VotingMember, Present: true),
            new RollEntry(b, MemberRole.VotingMember, Present: false, ProxyHolderId: a),
            new RollEntry(c, MemberRole.VotingMember, Present: false, ProxyHolderId: d),
            new RollEntry(d, MemberRole.Delegate, Present: false),
        ]);
        Assert.Equal([new Representation(b, a)], electorate.Proxies);
        Assert.Equal(new QuorumCount(AssemblyCall.First, 4, 1, 3, false, 0), electorate.Quorum(ProxySpace(), AssemblyCall.First));
        Assert.Equal(new QuorumCount(AssemblyCall.First, 4, 1, 3, false, 1), electorate.Quorum(ProxySpace(countInQuorum: true), AssemblyCall.First));
    }

    [Fact]
    public void A_proxy_is_refused_where_the_space_or_the_facts_do_not_allow_it()
    {
        var space = ProxySpace(max: 2);
        var assembly = Samples.ConvenedAssembly(space);
        var (rosa, juan) = (Samples.Member(space), Samples.Member(space));
        string Refused(Space sp, ProxyFacts facts, Member? holder = null) =>
            Assert.Throws<PreconditionFailedException>(() => Proxy.Register(sp, assembly, rosa, holder ?? juan, facts, "", "f", Samples.Now)).Type;

        Assert.Equal("PROXIES_NOT_ALLOWED", Refused(Samples.Space(), Clear));
        Assert.Equal("REPRESENTED_PRESENT", Refused(space, Clear with { RepresentedPresent = true }));
        Assert.Equal("PROXY_CHAIN", Refused(space, Clear with { HolderRepresented = true }));
        Assert.Equal("PROXY_CHAIN", Refused(space, Clear with { RepresentedCarriesProxies = true }));
        Assert.Equal("PROXY_LIMIT", Refused(space, Clear with { HolderCarries = 2 }));
        Assert.Equal("NO_VOTE", Refused(space, Clear, Samples.Member(space, MemberRole.Observer)));
        Assert.Throws<AlreadyExistsException>(() => Proxy.Register(space, assembly, rosa, juan, Clear with { RepresentedHasProxy = true }, "", "f", Samples.Now));
        var own = Assert.Throws<InvalidArgumentException>(() => Proxy.Register(space, assembly, rosa, rosa, Clear, "", "f", Samples.Now));
        Assert.Equal(["holder_member_id"], own.Violations.Select(v => v.Field));

        var proxy = Proxy.Register(space, assembly, rosa, juan, Clear with { HolderCarries = 1 }, "N.º 3", "f", Samples.Now);
        Assert.Equal((rosa.Id, juan.Id, "N.º 3", true), (proxy.MemberId, proxy.HolderMemberId, proxy.DocumentReference, proxy.IsActive));
    }

    [Fact]
    public void A_represented_member_votes_only_through_a_facilitator_and_as_a_proxy_vote()
    {
        var space = ProxySpace();
        var rosa = Samples.Member(space);
        Assert.Equal("REPRESENTED_BY_PROXY", Assert.Throws<PreconditionFailedException>(() =>
            VoteChannels.Decide(Samples.MemberActing(rosa), rosa, null, represented: true)).Type);
        Assert.Equal(VoteChannel.Proxy, VoteChannels.Decide(Samples.Facilitator, rosa, null, represented: true));
        Assert.Equal(VoteChannel.Proxy, VoteChannels.Decide(Samples.Facilitator, rosa, VoteChannel.RecordedByFacilitator, represented: true));
    }
}
