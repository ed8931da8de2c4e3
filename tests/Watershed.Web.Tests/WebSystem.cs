using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using Watershed.Auth.Tests;
using Watershed.Consultation.V1;
using Watershed.DevIdentity;
using Watershed.Testing;
using Watershed.Web;

namespace Watershed.Web.Tests;

/// <summary>
/// The system a person reaches through the browser: the development OpenID provider (in this process), consultation as
/// its own process on a throwaway PostgreSQL database, the web app on a loopback port, and one headless Chromium.
/// Seeded through the API as an admin: Pomacanchi, its communal assembly with five voting members, a convened assembly.
/// </summary>
public sealed partial class WebSystem : IAsyncLifetime
{
    public static readonly string[] MemberNames = ["Rosa Quispe Mamani", "Juan Huamán Cusi", "Teodora Ccama Puma", "Hilario Condori Apaza", "Elena Sutta Huillca"];

    /// <summary>The DNI of each of <see cref="MemberNames"/>, in order.</summary>
    public static readonly string[] MemberDnis = ["41234501", "41234502", "41234503", "41234504", "01234505"];

    private DevIdentityHost? _provider;
    private ServiceProcess? _consultation;
    private WebApplication? _web;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri WebAddress { get; private set; } = null!;

    public DevIdentityHost Provider => _provider!;

    public Uri ConsultationAddress => _consultation!.Address;

    public string AssemblyId { get; private set; } = string.Empty;

    public string AssemblyTitle => "Asamblea ordinaria de diciembre";

    /// <summary>Where screenshots go: TestResults/web at the repository root, beside the test results scripts/test.sh keeps.</summary>
    public static string Artefacts { get; } = Path.Combine(ServiceProcess.RepositoryRoot(), "TestResults", "web");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artefacts);
        var webPort = ServiceProcess.FreePort();
        WebAddress = new Uri($"http://127.0.0.1:{webPort}/");
        _provider = await Identity.StartAsync(new Dictionary<string, string?> { ["DevIdentity:WebRedirectUris:0"] = new Uri(WebAddress, "signin-oidc").ToString() });

        var postgres = await PostgresServer.GetAsync();
        _consultation = await StartServiceAsync(postgres, "Consultation", "web_co");
        // Approval asks consultation; the planner's pages never approve.
        _landuse = await StartServiceAsync(postgres, "LandUse", "web_lu", new() { ["Services:consultation:Address"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}" });
        _notifications = await StartServiceAsync(postgres, "Notifications", "web_no", new() { ["Services:consultation:Address"] = _consultation.Address.ToString() });
        // Indicators with its Pomacanchi demo: areas, a baseline and a follow-up survey round loaded at start.
        _indicators = await StartServiceAsync(postgres, "Indicators", "web_in", new() { ["Demo:Seed"] = "true" });

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Watershed.Web",
            ContentRootPath = Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Web"),
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = WebAddress.ToString().TrimEnd('/'),
            ["Web:Oidc:Authority"] = _provider.Address.ToString(),
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
            ["Web:Oidc:ClientSecret"] = "web-dev-secret",
            ["Services:consultation:Address"] = _consultation.Address.ToString(),
            ["Services:landuse:Address"] = _landuse.Address.ToString(),
            ["Services:notifications:Address"] = _notifications.Address.ToString(),
            ["Services:indicators:Address"] = _indicators.Address.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddWebApp("web");
        _web = builder.Build();
        _web.UseWebApp();
        await _web.StartAsync();

        await SeedAsync();
        await SeedPlanAsync();
        await SeedMemberBallotAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });
    }

    /// <summary>
    /// A service as its own process on the collection's cluster: a database of its own, the provider's tokens, no event
    /// relay (no sidecar runs here), and <paramref name="more"/> settings.
    /// </summary>
    private async Task<ServiceProcess> StartServiceAsync(PostgresServer postgres, string project, string database, Dictionary<string, string>? more = null)
    {
        var settings = Identity.ServiceSettings(_provider!, project.ToLowerInvariant());
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(database);
        settings["Events:RelayEnabled"] = "false";
        settings["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return await ServiceProcess.StartAsync(project, settings);
    }

    private async Task SeedAsync()
    {
        var admin = Identity.Invoker(_consultation!.Address, await Identity.UserTokenAsync(_provider!, "admin"));
        var stakeholders = new StakeholderService.StakeholderServiceClient(admin);
        var spaces = new SpaceService.SpaceServiceClient(admin);
        var watershed = (await stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "pomacanchi", Name = "Pomacanchi" })).Watershed;
        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea comunal de Pomacanchi", Kind = SpaceKind.CommunityAssembly,
            // Its statute allows one written proxy (carta poder) per member present.
            Rules = new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1 } },
        })).Space;
        _spaceId = space.Id;
        foreach (var (name, dni) in MemberNames.Zip(MemberDnis))
        {
            var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = name, NationalId = dni })).Person;
            _persons[name] = person.Id;
            await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember });
        }

        var assembly = await new AssemblyService.AssemblyServiceClient(admin).ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id,
            Title = AssemblyTitle,
            Agenda = { "Pase de lista y quórum", "Uso del agua de riego", "Varios" },
            Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)),
        });
        AssemblyId = assembly.Assembly.Id;
    }

    /// <summary>Consultation's own answer, read as an admin: what the tests compare the page with.</summary>
    public async Task<Quorum> QuorumAsync()
    {
        var admin = Identity.Invoker(_consultation!.Address, await Identity.UserTokenAsync(_provider!, "admin"));
        return (await new AssemblyService.AssemblyServiceClient(admin).GetQuorumAsync(new GetQuorumRequest { AssemblyId = AssemblyId })).Quorum;
    }

    /// <summary>A fresh browser context (cookies, offline state, IndexedDB of its own).</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new() { BaseURL = WebAddress.ToString(), Locale = "es-PE" });

    /// <summary>Signs in on the provider's page as the named development account, from the web app's sign-in link.</summary>
    public static async Task SignInAsync(IPage page, string account)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ingresar" }).First.ClickAsync();
        await page.GetByLabel("Account").FillAsync(account);
        await page.GetByLabel("Password").FillAsync(Identity.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Salir" })).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        if (_indicators is not null)
        {
            await _indicators.DisposeAsync();
        }

        if (_notifications is not null)
        {
            await _notifications.DisposeAsync();
        }

        if (_landuse is not null)
        {
            await _landuse.DisposeAsync();
        }

        if (_consultation is not null)
        {
            await _consultation.DisposeAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebSystem>
{
    public const string Name = "web";
}
