using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// A stand-in for consultation's ContactService on a loopback port, with a fixed roll. Consultation does not
/// implement ContactService yet (it is added there later); this speaks the same contract over real gRPC and
/// checks the caller's token as consultation will: a valid token of the notifications service identity.
/// </summary>
public sealed class ContactStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ContactStandIn(WebApplication app, Roll roll)
    {
        _app = app;
        Calls = roll.Calls;
    }

    public Uri Address => new(_app.Urls.First());

    /// <summary>Subjects of the tokens each call carried.</summary>
    public ConcurrentQueue<string> Calls { get; }

    public static async Task<ContactStandIn> StartAsync(IReadOnlyList<Contact> contacts)
    {
        var builder = WebApplication.CreateBuilder();

        // The test's output folder holds the service's appsettings.json (its Kestrel endpoint): not this host's.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var roll = new Roll(contacts);
        builder.Services.AddSingleton(roll);
        var app = builder.Build();
        app.MapGrpcService<ContactGrpc>();
        await app.StartAsync();
        return new ContactStandIn(app, roll);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static Contact Contact(string personId, string name, string phone, string email, string language, bool sms, bool emailConsent) => new()
    {
        PersonId = personId,
        MemberId = Guid.CreateVersion7().ToString(),
        FullName = name,
        PhoneNumber = phone,
        Email = email,
        PreferredLanguage = language,
        Role = MemberRole.VotingMember,
        Consents =
        {
            new ChannelConsent { Channel = ContactChannel.Sms, Granted = sms, RecordedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) },
            new ChannelConsent { Channel = ContactChannel.Email, Granted = emailConsent, RecordedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) },
        },
    };

    public sealed class Roll(IReadOnlyList<Contact> contacts)
    {
        public IReadOnlyList<Contact> Contacts { get; } = contacts;

        public ConcurrentQueue<string> Calls { get; } = new();
    }

    private sealed class ContactGrpc(Roll roll) : ContactService.ContactServiceBase
    {
        public override async Task<ListSpaceContactsResponse> ListSpaceContacts(ListSpaceContactsRequest request, ServerCallContext context)
        {
            var header = context.RequestHeaders.GetValue("authorization") ?? string.Empty;
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(header.Replace("Bearer ", string.Empty, StringComparison.Ordinal), new TokenValidationParameters
            {
                ValidIssuer = TestTokens.Issuer,
                ValidAudience = TestTokens.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(TestTokens.SigningKey)),

                // The service signs with its own (test-controlled) clock; the signature and claims are what count here.
                ValidateLifetime = false,
            });
            var token = result.SecurityToken as JsonWebToken;
            if (!result.IsValid || token is null || !token.Claims.Any(c => c.Type == "role" && c.Value == "service"))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "contacts are for facilitators and services"));
            }

            roll.Calls.Enqueue(token.Subject);
            if (request.SpaceId != Sample.SpaceId.ToString())
            {
                throw new RpcException(new Status(StatusCode.NotFound, "no such space"));
            }

            // Two contacts a page, so the service must follow the pages.
            var offset = string.IsNullOrEmpty(request.Page?.PageToken) ? 0 : int.Parse(request.Page.PageToken, System.Globalization.CultureInfo.InvariantCulture);
            var response = new ListSpaceContactsResponse
            {
                Page = new Watershed.Common.V1.PageResponse { NextPageToken = offset + 2 < roll.Contacts.Count ? (offset + 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty },
            };
            response.Contacts.AddRange(roll.Contacts.Skip(offset).Take(2));
            return response;
        }
    }
}
