using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using Watershed.Auth.Tests;
using Watershed.Consultation.V1;

namespace Watershed.Web.Tests;

/// <summary>What the ballot console's tests set up through the API: assemblies of the space, more development accounts.</summary>
public sealed partial class WebSystem
{
    /// <summary>Consultation's assembly service as the given development account.</summary>
    public async Task<AssemblyService.AssemblyServiceClient> AssembliesAsAsync(string account) =>
        new(Identity.Invoker(_consultation!.Address, await Identity.UserTokenAsync(_provider!, account)));

    /// <summary>
    /// An assembly of the space, convened and opened at first call as an admin, with the members at
    /// <paramref name="present"/> (of <see cref="MemberNames"/>) marked present, and a submitted proposal on its
    /// agenda. Returns the assembly's id and the proposal's.
    /// </summary>
    public async Task<(string AssemblyId, string ProposalId)> OpenAssemblyWithProposalAsync(string title, string proposalTitle, params string[] present)
    {
        var assemblies = await AssembliesAsAsync("admin");
        var proposals = await ProposalsAsAsync("admin");
        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = _spaceId, Title = title, Place = "Local comunal", ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        })).Assembly;
        await assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest { AssemblyId = assembly.Id, MemberIds = { present.Select(MemberIdOf) }, Present = true });
        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = _spaceId, Title = proposalTitle, Type = ProposalType.General, SubmittedByPersonId = _persons[MemberNames[1]],
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
        return (assembly.Id, proposal.Id);
    }

    /// <summary>Adds a development account while the provider runs, as an administrator adds a Keycloak user.</summary>
    public async Task AddAccountAsync(string name, string role)
    {
        using var http = new HttpClient { BaseAddress = _provider!.Address };
        var added = await http.PostAsJsonAsync($"dev/accounts/{name}", new { roles = new[] { role }, watersheds = new[] { "pomacanchi" } });
        added.EnsureSuccessStatusCode();
    }
}
