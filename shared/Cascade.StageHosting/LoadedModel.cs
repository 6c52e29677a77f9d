using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascade.StageHosting;

/// <summary>
/// A model stage loaded in the background at start-up, so the web host answers liveness probes while the
/// model loads; consumers await <see cref="Stage"/>, and readiness reports <see cref="IsLoaded"/>.
/// </summary>
public sealed class LoadedModel<TStage>(string name, Func<TStage> load, ILogger<LoadedModel<TStage>> logger) : IHostedService, IAsyncDisposable, ILoadedModel
    where TStage : class, IAsyncDisposable
{
    private readonly TaskCompletionSource<TStage> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;
    public Task<TStage> Stage => _loaded.Task;
    public bool IsLoaded => _loaded.Task.IsCompletedSuccessfully;
    public Exception? LoadError => _loaded.Task.Exception?.InnerException;
    Task ILoadedModel.Loading => _loaded.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                _loaded.TrySetResult(load());
            }
            catch (Exception e)
            {
                logger.LogError(e, "Loading the {Model} model failed", Name);
                _loaded.TrySetException(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (IsLoaded) await _loaded.Task.Result.DisposeAsync().ConfigureAwait(false);
    }
}
