using System.CommandLine;
using Cascade.AllInOne;
using Cascade.Inference;
using Cascade.StageHosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cascade.Cli.Commands;

/// <summary>
/// `cascade serve`: gate, classifier and orchestrator in this process on the in-memory bus (the embedded default).
/// Any further `--Section:Key=value` arguments are host settings, e.g. `--Bus:Transport=RabbitMq`.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC port (HTTP/2 cleartext)", DefaultValueFactory = _ => 5001 };
        var modelDirectory = new Option<string?>("--model-dir") { Description = $"Model directory (default {ModelDirectoryLocation.Order})" };
        var command = new Command("serve", "Run all three services in one process (in-memory bus unless --Bus:Transport=RabbitMq)") { urls, grpcPort, modelDirectory };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            List<string> args = [$"--urls={result.GetValue(urls)}", $"--Grpc:Port={result.GetValue(grpcPort)}", .. result.UnmatchedTokens];
            if (result.GetValue(modelDirectory) is { } dir) args.Add($"--Inference:ModelDirectory={Path.GetFullPath(dir)}");
            await using var app = CascadeHost.BuildAllInOne([.. args]);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                throw new CommandFailedException($"{e.Message.TrimEnd('.')}: another process listens there. Stop it, or choose other ports with --urls and --grpc-port.", e);
            }
            try
            {
                // A missing or broken pack is this command's error line, not a log entry in a server that answers 503.
                foreach (var model in app.Services.GetServices<ILoadedModel>()) await model.Loading.WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await app.StopAsync(CancellationToken.None);
                throw;
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
