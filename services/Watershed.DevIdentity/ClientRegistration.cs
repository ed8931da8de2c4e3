using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Watershed.DevIdentity;

/// <summary>
/// The clients this provider knows, registered in OpenIddict's store at start so that OpenIddict itself checks their
/// secrets, grants, redirect URIs and PKCE:
/// each service identity (consultation, landuse, indicators, notifications, web) is a confidential client with the
/// client-credentials grant; web also signs people in with the code flow (PKCE required) and refresh tokens; cli is a
/// public client with the code flow and PKCE for scripts (scripts/dev-oidc-token.sh).
/// </summary>
public static class ClientRegistration
{
    public static async Task RegisterAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DevIdentityDbContext>().Database.EnsureCreatedAsync();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DevIdentityOptions>>().Value;

        foreach (var client in DevIdentityOptions.ServiceClients)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client,
                ClientSecret = options.SecretOf(client),
                ClientType = ClientTypes.Confidential,
                DisplayName = $"Watershed {client}",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            if (client == "web")
            {
                descriptor.Permissions.UnionWith(
                [
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.ResponseTypes.Code,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.Scopes.Profile,
                ]);
                descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
                descriptor.RedirectUris.UnionWith(options.EffectiveWebRedirectUris.Select(u => new Uri(u)));
                descriptor.PostLogoutRedirectUris.UnionWith(options.EffectiveWebRedirectUris.Select(u => new Uri(new Uri(u), "/")));
            }

            await applications.CreateAsync(descriptor);
        }

        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = DevIdentityOptions.CliClient,
            ClientType = ClientTypes.Public,
            DisplayName = "Watershed scripts",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.ResponseTypes.Code,
                Permissions.GrantTypes.AuthorizationCode, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        cli.RedirectUris.UnionWith(options.EffectiveCliRedirectUris.Select(u => new Uri(u)));
        await applications.CreateAsync(cli);
    }
}
