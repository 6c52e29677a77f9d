using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cascade.ServiceDefaults.Settings;

public static class SettingsExtensions
{
    /// <summary>
    /// Binds section <paramref name="section"/> to <typeparamref name="T"/> with the Options pattern, validated when the
    /// host starts (data annotations and <paramref name="validate"/>, whose <see cref="ArgumentException"/> messages name
    /// the setting), so bad configuration stops the process at start instead of failing the first request. The bound
    /// value is also registered as <typeparamref name="T"/> itself, for components that take settings records directly.
    /// Adding the same settings again (two stages in one process) changes nothing.
    /// </summary>
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string section, Action<T>? validate = null)
        where T : class
    {
        if (services.Any(d => d.ServiceType == typeof(T))) return services;
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        if (validate is not null) services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(validate));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    private sealed class SettingsValidator<T>(Action<T> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            try
            {
                validate(options);
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }
}
