using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSettings<BusOptions>(configuration, BusOptions.Section);
        // The transport decides which services get registered, so it is read here, before the container exists.
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.TryAddSingleton(TimeProvider.System);
        if (options.Transport == BusTransport.RabbitMq)
            AddClaimChecks(services, _ => new FileSystemClaimCheckRepository(Directory.CreateDirectory(options.MessageData.Path)));
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

    /// <summary>One claim-check store, seen by MassTransit as its message data repository and by us as deletable.</summary>
    private static void AddClaimChecks<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> create)
        where TStore : class, IMessageDataRepository, IDeletableClaimChecks
    {
        services.AddSingleton(create);
        services.AddSingleton<IMessageDataRepository>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IDeletableClaimChecks>(sp => sp.GetRequiredService<TStore>());
    }
}
