using Grpc.Core;
using Microsoft.IdentityModel.Tokens;
using Watershed.Consultation.V1;
using Watershed.DevIdentity;
using Watershed.Testing;

namespace Watershed.Auth.Tests;

/// <summary>
/// The consultation service as its own process in the Production environment, validating the development provider's
/// tokens exactly as it validates Keycloak's: Auth:Authority (discovery and JWKS), RS256, issuer and audience. Each
/// check is shown to refuse on its own with a token that passes every other one (signed with the provider's key).
/// </summary>
public sealed class AuthorityValidationTests(ProviderAndConsultation system) : IClassFixture<ProviderAndConsultation>
{
    private readonly DevIdentityHost _provider = system.Provider;
    private readonly ServiceProcess _consultation = system.Consultation;

    private StakeholderService.StakeholderServiceClient Stakeholders(string? token) => new(Identity.Invoker(_consultation.Address, token));

    private async Task<IReadOnlyList<string>> WatershedCodesAsync() =>
        [.. (await Stakeholders(await Identity.UserTokenAsync(_provider, "admin")).ListWatershedsAsync(new ListWatershedsRequest())).Watersheds.Select(w => w.Code)];

    private static string Code() => $"w{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_person_signed_in_at_the_provider_calls_the_service_with_the_roles_of_the_token()
    {
        var code = Code();
        var admin = await Identity.UserTokenAsync(_provider, "admin");
        await Stakeholders(admin).CreateWatershedAsync(new CreateWatershedRequest { Code = code, Name = "Cuenca de prueba" });

        var viewer = await Identity.UserTokenAsync(_provider, "viewer.pomacanchi");
        var refused = await Assert.ThrowsAsync<RpcException>(() => Stakeholders(viewer).CreateWatershedAsync(new CreateWatershedRequest { Code = Code(), Name = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(code, await WatershedCodesAsync());
    }

    [Fact]
    public async Task A_token_signed_with_the_providers_key_and_every_claim_right_is_accepted()
    {
        // The control for the refusals below: forging with the provider's key works, so each refusal is its one change.
        var code = Code();
        await Stakeholders(Identity.Forge(_provider)).CreateWatershedAsync(new CreateWatershedRequest { Code = code, Name = "Cuenca" });
        Assert.Contains(code, await WatershedCodesAsync());
    }

    public static TheoryData<string> Refusals() =>
    [
        "wrong issuer", "wrong audience", "expired", "not yet valid", "alg none", "hs256 with the development key",
        "hs256 with the public key as secret", "another provider's key", "an unpublished key", "no token", "garbage",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_token_failing_one_check_is_unauthenticated_and_changes_nothing(string refusal)
    {
        await using var other = refusal == "another provider's key" ? await Identity.StartAsync() : null;
        var now = DateTime.UtcNow;
        var token = refusal switch
        {
            "wrong issuer" => Identity.Forge(_provider, d => d.Issuer = "https://auth.example/realms/other"),
            "wrong audience" => Identity.Forge(_provider, d => d.Audience = "account"),
            "expired" => Identity.Forge(_provider, d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddMinutes(-5))),
            "not yet valid" => Identity.Forge(_provider, d => (d.NotBefore, d.Expires) = (now.AddMinutes(10), now.AddHours(1))),
            "alg none" => Identity.Forge(_provider, d => d.SigningCredentials = null),
            "hs256 with the development key" => TestTokens.Create("forged-admin", ["admin"], ["*"],
                signingKey: Watershed.ServiceDefaults.Security.DevelopmentKeys.SigningKey, issuer: _provider.Issuer),
            "hs256 with the public key as secret" => Identity.Forge(_provider, d => d.SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(_provider.Keys.Current.Key.Certificate.GetPublicKey()), SecurityAlgorithms.HmacSha256)),
            "another provider's key" => Identity.Forge(other!),
            "an unpublished key" => Identity.Stranger(_provider),
            "no token" => null,
            _ => "not-a-jwt",
        };
        if (refusal == "alg none")
        {
            Assert.Equal("none", Identity.Read(token!).Alg);
        }

        var code = Code();
        var refused = await Assert.ThrowsAsync<RpcException>(() => Stakeholders(token).CreateWatershedAsync(new CreateWatershedRequest { Code = code, Name = "Cuenca" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.DoesNotContain(code, await WatershedCodesAsync());
    }

    [Fact]
    public async Task A_service_identitys_client_credentials_token_is_accepted_for_a_service_only_call()
    {
        var code = Code();
        var admin = await Identity.UserTokenAsync(_provider, "admin");
        var watershed = (await Stakeholders(admin).CreateWatershedAsync(new CreateWatershedRequest { Code = code, Name = "Cuenca" })).Watershed;
        var space = (await new SpaceService.SpaceServiceClient(Identity.Invoker(_consultation.Address, admin))
            .CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea", Kind = SpaceKind.CommunityAssembly })).Space;
        var request = new ListSpaceContactsRequest { SpaceId = space.Id };

        var asService = await new ContactService.ContactServiceClient(Identity.Invoker(_consultation.Address, await Identity.ServiceTokenAsync(_provider, "notifications")))
            .ListSpaceContactsAsync(request);
        Assert.Empty(asService.Contacts);

        // A person with a known role but not a facilitator's may not read the roll's contacts.
        var member = new ContactService.ContactServiceClient(Identity.Invoker(_consultation.Address, await Identity.UserTokenAsync(_provider, "viewer.pomacanchi")));
        var refused = await Assert.ThrowsAsync<RpcException>(() => member.ListSpaceContactsAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }
}

/// <summary>
/// Key rotation as Keycloak does it, seen from a service: a new key is published and signs; the service reads the keys
/// again when it first meets the new key id; the old key is retired and stops passing once the service reads them again.
/// </summary>
public sealed class KeyRotationTests(ProviderAndConsultation system) : IClassFixture<ProviderAndConsultation>
{
    private readonly DevIdentityHost _provider = system.Provider;

    private StakeholderService.StakeholderServiceClient Stakeholders(string token) => new(Identity.Invoker(system.Consultation.Address, token));

    [Fact]
    public async Task A_rotated_key_is_accepted_once_the_service_reads_the_keys_again_and_a_retired_key_is_refused_after()
    {
        var before = Identity.Forge(_provider, subject: "before-rotation");
        await Stakeholders(before).ListWatershedsAsync(new ListWatershedsRequest());

        _provider.Keys.Rotate();
        var after = Identity.Forge(_provider, subject: "after-rotation");
        Assert.NotEqual(Identity.Read(before).Kid, Identity.Read(after).Kid);

        // A key it has not seen makes the service read the JWKS again; then the new key's tokens pass.
        await Eventually.TrueAsync(async () => await StatusAsync(after) == StatusCode.OK,
            "a token signed with the newly published key should be accepted once the service has read the keys again");
        Assert.Equal(StatusCode.OK, await StatusAsync(before));

        // The service keeps a retired key until it reads the keys again: on its schedule (Auth:KeyRefreshInterval) or,
        // as here, when a token names a key it does not know.
        _provider.Keys.RetireAllButNewest();
        await Eventually.TrueAsync(async () =>
        {
            Assert.Equal(StatusCode.Unauthenticated, await StatusAsync(Identity.Stranger(_provider)));
            return await StatusAsync(before) == StatusCode.Unauthenticated;
        }, "a token signed with a key the provider no longer publishes should be refused once the service has read the keys again");
        Assert.Equal(StatusCode.OK, await StatusAsync(after));
    }

    private async Task<StatusCode> StatusAsync(string token)
    {
        try
        {
            await Stakeholders(token).ListWatershedsAsync(new ListWatershedsRequest());
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

}

/// <summary>A development provider in the test process and the consultation service as its own process validating its tokens, on PostgreSQL.</summary>
public sealed class ProviderAndConsultation : IAsyncLifetime
{
    public DevIdentityHost Provider { get; private set; } = null!;

    public ServiceProcess Consultation { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await Identity.StartAsync();
        var settings = Identity.ServiceSettings(Provider);
        var postgres = await PostgresServer.GetAsync();
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("auth_consultation");
        Consultation = await ServiceProcess.StartAsync("Consultation", settings);
    }

    public async Task DisposeAsync()
    {
        if (Consultation is not null)
        {
            await Consultation.DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}
