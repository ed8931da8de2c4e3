using Watershed.Common.V1;
using Watershed.Consultation.V1;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// The read paths answer in one round trip each (compiled queries); what they answer is the whole object, as the
/// tracked loads the commands use would give it.
/// </summary>
public sealed class ReadPathTests : PostgresApiTest
{
    [Fact]
    public async Task GetProposal_answers_the_proposal_with_every_reference_and_its_watershed()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        ExternalReference[] references =
        [
            new() { Kind = "landuse.plan_version", Id = "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9" },
            new() { Kind = "indicators.plan_target", Id = "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8ca" },
        ];
        var created = await s.ProposalOnAgendaAsync(ProposalType.General, "Reforestar con queñua", references);

        var read = (await s.Facilitator.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = created.Id })).Proposal;

        Assert.Equal(created, read);
        Assert.Equal(references.OrderBy(r => r.Kind, StringComparer.Ordinal), read.References.OrderBy(r => r.Kind, StringComparer.Ordinal));
        Assert.Equal(("pomacanchi", s.Watershed.Id), (read.WatershedCode, read.WatershedId));
    }
}
