using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Cascade.ServiceDefaults.Settings;

namespace Cascade.ServiceDefaults.Bus;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on the transport chosen by <c>Bus:Transport</c>, with the claim-check
    /// repository and the endpoints of every registered consumer.
    /// </summary>
    public static IServiceCollection AddCascadeBus(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator> addConsumers)
    {
        services.AddSettings<BusOptions>(configuration, BusOptions.Section, Validate);
        // The transport decides which services get registered, so it is read here, before the container exists.
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.TryAddSingleton(TimeProvider.System);
        if (options.Transport == BusTransport.RabbitMq)
        {
            AddClaimChecks(services, _ => new FileSystemClaimCheckRepository(Directory.CreateDirectory(options.MessageData.Path)));
            AddConsumerWatchdog(services);
        }
        else
            AddClaimChecks(services, sp => new ExpiringInMemoryMessageDataRepository(sp.GetRequiredService<TimeProvider>()));

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            addConsumers(bus);
            if (options.Transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = options.RabbitMq;
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    ConfigureCommon(context, cfg);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => ConfigureCommon(context, cfg));
            }
        });
        return services;
    }

    private static void ConfigureCommon<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        cfg.UseMessageData(context.GetRequiredService<IMessageDataRepository>());
        cfg.UseConsumeFilter(typeof(SubmissionLogScopeFilter<>), context);
        cfg.ConfigureEndpoints(context);
    }

    private static void Validate(BusOptions options)
    {
        if (options.ConsumerCheck.Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException("Bus:ConsumerCheck:Interval", options.ConsumerCheck.Interval, "Bus:ConsumerCheck:Interval must be positive.");
        if (options.ConsumerCheck.LostAfter < options.ConsumerCheck.Interval)
            throw new ArgumentOutOfRangeException("Bus:ConsumerCheck:LostAfter", options.ConsumerCheck.LostAfter,
                "Bus:ConsumerCheck:LostAfter must be at least Bus:ConsumerCheck:Interval (one check with no consumer is not a lost one).");
        if (options.ConsumerCheck.ExitAfter < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException("Bus:ConsumerCheck:ExitAfter", options.ConsumerCheck.ExitAfter, "Bus:ConsumerCheck:ExitAfter must not be negative (zero: no forced exit).");
    }

    /// <summary>The check that the broker sees a consumer on every queue MassTransit says this process consumes (<see cref="ConsumerWatchdog"/>).</summary>
    private static void AddConsumerWatchdog(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<BusOptions>().RabbitMq);
        services.AddSingleton(sp => sp.GetRequiredService<BusOptions>().ConsumerCheck);
        services.AddSingleton<BrokerConsumerCounts>();
        services.AddSingleton<ConsumerWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsumerWatchdog>());
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ConsumerWatchdog>());
        services.AddHealthChecks().Add(new HealthCheckRegistration("bus-consumers", sp => sp.GetRequiredService<ConsumerWatchdog>(), null, [HealthTags.Ready]));
    }

    /// <summary>One claim-check store, seen by MassTransit as its message data repository and by us as deletable.</summary>
    private static void AddClaimChecks<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> create)
        where TStore : class, IMessageDataRepository, IDeletableClaimChecks
    {
        services.AddSingleton(create);
        services.AddSingleton<IMessageDataRepository>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IDeletableClaimChecks>(sp => sp.GetRequiredService<TStore>());
    }
}
