using System.Runtime.CompilerServices;
using System.Text.Json;
using Cascade.Protos.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cascade.Cli.Commands;

/// <summary>The orchestrator's gRPC API as the CLI uses it: `classify --server`, `submit`, `watch`, `bench --server`.</summary>
internal sealed class CascadeServer : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly OrchestratorService.OrchestratorServiceClient _client;

    public CascadeServer(Uri address)
    {
        _channel = GrpcChannel.ForAddress(address);
        _client = new OrchestratorService.OrchestratorServiceClient(_channel);
    }

    public async Task<Result> ClassifyAsync(byte[] image, TimeSpan deadline, CancellationToken cancellationToken) =>
        await _client.ClassifyAsync(new ClassifyRequest { Image = ByteString.CopyFrom(image) }, deadline: DateTime.UtcNow + deadline, cancellationToken: cancellationToken);

    public async Task<string> SubmitAsync(byte[] image, string? clientRequestId, CancellationToken cancellationToken) =>
        (await _client.SubmitAsync(new ClassifyRequest { Image = ByteString.CopyFrom(image), ClientRequestId = clientRequestId ?? "" },
            deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken)).SubmissionId;

    public async IAsyncEnumerable<Result> WatchAsync(IEnumerable<string> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.WatchResults(new WatchResultsRequest { SubmissionIds = { ids } }, cancellationToken: cancellationToken);
        await foreach (var result in call.ResponseStream.ReadAllAsync(cancellationToken))
            yield return result;
    }

    /// <summary>A result as a `classify` row; an RPC error becomes the row's error code (the ErrorInfo reason, else the status).</summary>
    public async Task<ClassificationRow> ClassifyRowAsync(string path, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ClassifyAsync(await File.ReadAllBytesAsync(path, cancellationToken), deadline, cancellationToken);
            return new ClassificationRow
            {
                Path = path,
                Verdict = result.State switch
                {
                    State.Completed or State.Rejected => result.Verdict switch { Verdict.NoObject => "no_object", Verdict.Label => "label", _ => "unknown" },
                    _ => result.State.ToString().ToLowerInvariant(),
                },
                Label = result.Label.Length == 0 ? null : result.Label,
                GateScore = result.Gate?.Score,
                GateThreshold = result.Gate?.Threshold,
                Scores = result.Classifier?.Scores.ToDictionary(s => s.Label, s => s.Score),
                GateMs = result.Gate?.Timing?.StageMs,
                ClassifierMs = result.Classifier?.Timing?.StageMs,
                TotalMs = Math.Round(result.TotalMs, 2),
                ErrorCode = result.ErrorCode.Length == 0 ? null : result.ErrorCode,
                ErrorMessage = result.ErrorMessage.Length == 0 ? null : result.ErrorMessage,
            };
        }
        catch (RpcException e)
        {
            return new ClassificationRow { Path = path, ErrorCode = ErrorCodeOf(e), ErrorMessage = e.Status.Detail };
        }
    }

    /// <summary>The stable code from the status's <c>google.rpc.ErrorInfo</c>, or the status name (<c>DEADLINE_EXCEEDED</c>) when there is none.</summary>
    private static string ErrorCodeOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? JsonNamingPolicy.SnakeCaseUpper.ConvertName(e.StatusCode.ToString());

    public void Dispose() => _channel.Dispose();
}
