using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Watershed.Consultation.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Consultation and notifications as their own processes on PostgreSQL, talking through the sidecar process:
/// closing a ballot puts messages in the delivery log in each member's language, on the channels they agreed to,
/// which the sidecar's SMS and e-mail bindings write as files; an opted-out member gets nothing, a member in
/// quiet hours waits, and a watcher's webhook receives the decision signed.
/// </summary>
public sealed class NotificationsByEventsTests
{
    [Fact]
    public async Task Closing_a_ballot_tells_each_member_in_their_language_on_their_channels()
    {
        var received = new ConcurrentQueue<(string Signature, string Body)>();
        await using var webhook = await WebhookAsync(received);
        var notificationsPort = ServiceProcess.FreePort();
        await using var sidecar = await SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["notifications"] = new($"http://127.0.0.1:{notificationsPort}") });
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await EventSystem.SettingsAsync("e2e_nt_consultation", sidecar));
        var settings = await EventSystem.SettingsAsync("e2e_nt_notifications", sidecar);
        settings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var notifications = await ServiceProcess.StartAsync("Notifications", settings, notificationsPort);

        var code = $"nt-{Guid.NewGuid():N}"[..20];
        var facilitator = TestTokens.Facilitator(code);
        var co = EventSystem.Invoker(consultation.Address, facilitator);
        var nt = EventSystem.Invoker(notifications.Address, facilitator);
        var stakeholders = new StakeholderService.StakeholderServiceClient(co);
        var spaces = new SpaceService.SpaceServiceClient(co);
        var assemblies = new AssemblyService.AssemblyServiceClient(co);
        var proposals = new ProposalService.ProposalServiceClient(co);
        var preferences = new PreferenceService.PreferenceServiceClient(nt);
        var watchers = new WatcherService.WatcherServiceClient(nt);
        var deliveries = new DeliveryService.DeliveryServiceClient(nt);

        var watershed = (await new StakeholderService.StakeholderServiceClient(EventSystem.Invoker(consultation.Address, TestTokens.Admin()))
            .CreateWatershedAsync(new CreateWatershedRequest { Code = code, Name = "Laguna de Pomacanchi" })).Watershed;
        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea de Manzanares", Kind = SpaceKind.CommunityAssembly })).Space;
        async Task<(string Person, string Member)> MemberAsync(string name, string language, string phone, string email, params ContactChannel[] consents)
        {
            var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest
            {
                WatershedId = watershed.Id, FullName = name, PreferredLanguage = language, PhoneNumber = phone, Email = email, ConsentedChannels = { consents },
            })).Person.Id;
            var member = (await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person, Role = MemberRole.VotingMember })).Member.Id;
            return (person, member);
        }

        var rosa = await MemberAsync("Rosa Quispe", "qu-PE", "+51984111111", "", ContactChannel.Sms);
        var juan = await MemberAsync("Juan Mamani", "es-PE", "", "juan.mamani@example.pe", ContactChannel.Email);
        var lucia = await MemberAsync("Lucía Huamán", "en", "+51984333333", "", ContactChannel.Sms);
        var pedro = await MemberAsync("Pedro Ccori", "es-PE", "+51984444444", "", ContactChannel.Sms);
        await preferences.SetPreferencesAsync(new SetPreferencesRequest { WatershedCode = code, PersonId = lucia.Person, OptedOut = true });
        await preferences.SetPreferencesAsync(new SetPreferencesRequest { WatershedCode = code, PersonId = pedro.Person, QuietHours = new QuietHours { Start = "00:00", End = "23:59" } });
        var watcher = await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = code, Name = "ONG Allin Kawsay", Organization = "Allin Kawsay", WebhookUrl = $"{webhook.Urls.First()}/hooks/decisions",
            Language = Language.Es, Kinds = { EventKind.Decisions }, Channels = { Channel.Webhook },
        });

        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea ordinaria", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
            Agenda = { "Proteger el manantial de Sallma" },
        })).Assembly;
        var members = new[] { rosa.Member, juan.Member, lucia.Member, pedro.Member };
        foreach (var member in members)
        {
            await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member, Present = true });
        }

        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = space.Id, Title = "Proteger el manantial de Sallma", Type = ProposalType.General, SubmittedByPersonId = rosa.Person,
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
        var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id })).Ballot;
        foreach (var member in members)
        {
            await proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = member, Choice = VoteChoice.Yes, ClientRequestId = $"v-{member}" });
        }

        await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });

        List<Delivery> log = [];
        await Eventually.TrueAsync(async () =>
        {
            log = [.. (await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries
                .Where(d => d.EventType == "watershed.consultation.v1.BallotClosed")];
            return log.Count(d => d.State == DeliveryState.Sent) == 2 && log.Count == 3;
        }, "Rosa's SMS and Juan's e-mail should be sent and Pedro's deferred", TimeSpan.FromSeconds(60));

        var toRosa = Assert.Single(log, d => d.RecipientId == rosa.Person);
        Assert.Equal((Channel.Sms, "+51984111111", Language.Qu, DeliveryState.Sent), (toRosa.Channel, toRosa.Address, toRosa.Language, toRosa.State));
        var toJuan = Assert.Single(log, d => d.RecipientId == juan.Person);
        Assert.Equal((Channel.Email, "juan.mamani@example.pe", Language.Es, DeliveryState.Sent), (toJuan.Channel, toJuan.Address, toJuan.Language, toJuan.State));
        var toPedro = Assert.Single(log, d => d.RecipientId == pedro.Person);
        Assert.Equal((DeliveryState.Deferred, DeferReason.QuietHours), (toPedro.State, toPedro.DeferReason));
        Assert.DoesNotContain(log, d => d.RecipientId == lucia.Person);

        // The convening earlier sent each of them a message too; the ballot's is the one with its result.
        var sms = Assert.Single(sidecar.SmsTexts(), text => text.Contains(toRosa.Body, StringComparison.Ordinal));
        Assert.Contains("+51984111111", sms, StringComparison.Ordinal);
        Assert.Contains("Proteger el manantial de Sallma", toRosa.Body, StringComparison.Ordinal);
        var mail = Assert.Single(sidecar.EmailTexts(), text => text.Contains(toJuan.Body.Split('\n')[0], StringComparison.Ordinal));
        Assert.Contains("juan.mamani@example.pe", mail, StringComparison.Ordinal);
        Assert.Contains("Proteger el manantial de Sallma", toJuan.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(sidecar.SmsTexts(), text => text.Contains("+51984333333", StringComparison.Ordinal));

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(!received.IsEmpty), "the watcher's webhook should receive the decision");
        }
        catch (Xunit.Sdk.XunitException)
        {
            var all = (await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries;
            throw new Xunit.Sdk.XunitException("No webhook call; the delivery log: " + string.Join("\n", all.Select(d => $"{d.EventType} {d.RecipientKind} {d.Channel} {d.State} {d.FailureReason}")) + "\n" + notifications.Output[^Math.Min(3000, notifications.Output.Length)..]);
        }
        var (signature, body) = Assert.Single(received);
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(watcher.WebhookSecret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}")));
        Assert.Equal(expected, parts["v1"]);
        Assert.Contains("\"type\":\"watershed.consultation.v1.ProposalDecided\"", body.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static async Task<WebApplication> WebhookAsync(ConcurrentQueue<(string Signature, string Body)> received)
    {
        var builder = WebApplication.CreateBuilder();

        // Only this receiver's own settings: the test folder holds other hosts' appsettings (Kestrel endpoints, h2c).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hooks/decisions", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue((context.Request.Headers["Watershed-Signature"].ToString(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        return app;
    }
}
