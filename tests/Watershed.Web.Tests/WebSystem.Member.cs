using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using Watershed.Auth.Tests;
using Watershed.Consultation.V1;

namespace Watershed.Web.Tests;

/// <summary>
/// A member who votes from their own phone: an extraordinary assembly of the same space with everyone present and a
/// secret, receipt-free ballot open on a proposal, and a login for Rosa Quispe (the development provider's account
/// "rosa.quispe" carrying her person id, as an administrator links a Keycloak user to the person in consultation).
/// </summary>
public sealed partial class WebSystem
{
    public const string MemberAccount = "rosa.quispe";

    public const string BallotProposalTitle = "Faena para limpiar el canal de riego";

    private readonly Dictionary<string, string> _persons = new(StringComparer.Ordinal);

    private string _spaceId = string.Empty;

    public string MemberBallotId { get; private set; } = string.Empty;

    /// <summary>The proposal of <see cref="MemberBallotId"/>: the console's ballot and projector pages are by proposal.</summary>
    public string MemberBallotProposalId { get; private set; } = string.Empty;

    /// <summary>The extraordinary assembly (open, everyone present) and the space's member ids, for more ballots.</summary>
    public string ExtraordinaryAssemblyId { get; private set; } = string.Empty;

    public string SpaceId => _spaceId;

    /// <summary>The consultation person id of one of <see cref="MemberNames"/>.</summary>
    public string PersonIdOf(string name) => _persons[name];

    public IReadOnlyList<string> MemberIds { get; private set; } = [];

    private readonly Dictionary<string, string> _memberIds = new(StringComparer.Ordinal);

    /// <summary>The space's member id of one of <see cref="MemberNames"/>.</summary>
    public string MemberIdOf(string name) => _memberIds[name];

    /// <summary>Consultation's proposal service as the given development account.</summary>
    public async Task<ProposalService.ProposalServiceClient> ProposalsAsAsync(string account) =>
        new(Identity.Invoker(_consultation!.Address, await Identity.UserTokenAsync(_provider!, account)));

    private async Task SeedMemberBallotAsync()
    {
        var admin = Identity.Invoker(_consultation!.Address, await Identity.UserTokenAsync(_provider!, "admin"));
        var assemblies = new AssemblyService.AssemblyServiceClient(admin);
        var proposals = new ProposalService.ProposalServiceClient(admin);
        var spaces = new SpaceService.SpaceServiceClient(admin);
        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = _spaceId, Title = "Asamblea extraordinaria", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        })).Assembly;
        var members = (await spaces.ListMembersAsync(new ListMembersRequest { SpaceId = _spaceId, Page = new() { PageSize = 100 } })).Members;
        await assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest { AssemblyId = assembly.Id, MemberIds = { members.Select(m => m.Id) }, Present = true });
        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        ExtraordinaryAssemblyId = assembly.Id;
        MemberIds = [.. members.Select(m => m.Id)];
        foreach (var m in members)
        {
            _memberIds[m.FullName] = m.Id;
        }

        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = _spaceId, Title = BallotProposalTitle, Type = ProposalType.General, SubmittedByPersonId = _persons[MemberNames[1]],
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
        MemberBallotProposalId = proposal.Id;
        MemberBallotId = (await proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = proposal.Id, Secrecy = BallotSecrecy.Secret, Receipts = ReceiptMode.ReceiptFree,
        })).Ballot.Id;

        using var http = new HttpClient { BaseAddress = _provider!.Address };
        var linked = await http.PostAsJsonAsync($"dev/accounts/{MemberAccount}", new { roles = new[] { "member" }, watersheds = new[] { "pomacanchi" }, personId = _persons[MemberNames[0]] });
        linked.EnsureSuccessStatusCode();
    }
}
