using Dapr.Client;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Watershed.ServiceDefaults.Events;

/// <summary>Wires a service into Watershed's events: the outbox and its relay, and the AppCallback subscriptions.</summary>
public static class ServiceEvents
{
    /// <summary>
    /// Publishes what the service writes to its outbox through the Dapr sidecar (DAPR_GRPC_ENDPOINT, or Dapr's
    /// DAPR_GRPC_PORT on a pod, else 127.0.0.1:50001) and serves Dapr's AppCallback for its subscriptions.
    /// </summary>
    public static EventSubscriptionBuilder AddServiceEvents<TContext>(this WebApplicationBuilder builder, string appId)
        where TContext : DbContext
    {
        builder.Services.AddOptions<EventOptions>().Bind(builder.Configuration.GetSection(EventOptions.Section));
        builder.Services.AddSingleton(new AppIdentity(appId));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        builder.Services.TryAddSingleton(_ => new DaprClientBuilder().Build());
        builder.Services.TryAddSingleton<IEventSender, DaprEventSender>();
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        var registry = new EventSubscriptionRegistry();
        builder.Services.AddSingleton(registry);
        return new EventSubscriptionBuilder(builder.Services, registry, appId);
    }

    /// <summary>
    /// Maps Dapr's AppCallback (no user token: the sidecar has none; where <see cref="DaprAppToken.Setting"/> is set, only
    /// calls carrying Dapr's app API token) and the dead-letter list.
    /// </summary>
    public static WebApplication MapServiceEvents<TContext>(this WebApplication app)
        where TContext : DbContext
    {
        app.UseDaprAppToken();
        app.MapGrpcService<EventCallbackService<TContext>>().AllowAnonymous();
        app.MapGrpcService<DeadLetterGrpcService<TContext>>();
        return app;
    }
}

public sealed class EventSubscriptionBuilder(IServiceCollection services, EventSubscriptionRegistry registry, string appId)
{
    /// <summary>Subscribes <typeparamref name="THandler"/> to the topic of <typeparamref name="TMessage"/>.</summary>
    public EventSubscriptionBuilder On<TMessage, THandler>()
        where TMessage : IMessage<TMessage>, new()
        where THandler : class, IEventHandler<TMessage>
    {
        services.AddScoped<THandler>();
        var descriptor = new TMessage().Descriptor;
        registry.Add(new EventSubscription(
            EventTopics.For(descriptor),
            descriptor,
            descriptor.FullName,
            $"{appId}/{typeof(THandler).Name}",
            typeof(THandler),
            (provider, message, context, ct) => provider.GetRequiredService<THandler>().HandleAsync((TMessage)message, context, ct)));
        return this;
    }
}
