using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>The real consultation host on a real database (PostgreSQL or SQLite), with real token validation.</summary>
public sealed class ConsultationApp : WatershedApp<Program>
{
    private ConsultationApp(string provider, string connectionString, bool kestrel, IDictionary<string, string?>? settings = null)
        : base(provider, connectionString, kestrel, settings)
    {
    }

    /// <summary>A host on a fresh database of the shared throwaway PostgreSQL cluster, called through the in-memory test server.</summary>
    /// <param name="settings">Configuration of this host only (e.g. APP_API_TOKEN).</param>
    public static async Task<ConsultationApp> OnPostgresAsync(Action<IServiceCollection>? configureTestServices = null, IDictionary<string, string?>? settings = null)
    {
        var postgres = await PostgresServer.GetAsync();
        return new ConsultationApp("Postgres", await postgres.CreateDatabaseAsync("consultation"), kestrel: false, settings)
        {
            ConfigureTestServices = configureTestServices,
        };
    }

    /// <summary>A host on a SQLite file listening on a real loopback socket.</summary>
    public static ConsultationApp OnSqliteSocket(string file) =>
        new("Sqlite", $"Data Source={file}", kestrel: true);

    public Clients ClientsFor(string? token) => new(Channel(), token);
}

/// <summary>The consultation clients sharing one channel and one bearer token.</summary>
public sealed class Clients
{
    public Clients(ChannelBase channel, string? token)
    {
        var invoker = WatershedApp<Program>.Authorized(channel, token);
        Stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        Spaces = new SpaceService.SpaceServiceClient(invoker);
        Assemblies = new AssemblyService.AssemblyServiceClient(invoker);
        Proposals = new ProposalService.ProposalServiceClient(invoker);
        Contacts = new ContactService.ContactServiceClient(invoker);
        DeadLetters = new Watershed.Events.V1.DeadLetterService.DeadLetterServiceClient(invoker);
    }

    public StakeholderService.StakeholderServiceClient Stakeholders { get; }

    public SpaceService.SpaceServiceClient Spaces { get; }

    public AssemblyService.AssemblyServiceClient Assemblies { get; }

    public ProposalService.ProposalServiceClient Proposals { get; }

    public ContactService.ContactServiceClient Contacts { get; }

    public Watershed.Events.V1.DeadLetterService.DeadLetterServiceClient DeadLetters { get; }
}
