using Cascade.Grpc.Client;
using Cascade.Grpc.Protocol;
using Cascade.Protos.V1;
using Google.Protobuf;

namespace Cascade.Cli.Commands;

/// <summary>The orchestrator's gRPC API as the CLI uses it: `classify --server`, `submit`, `watch`, `bench --server`.</summary>
internal sealed class CascadeServer(Uri address) : IDisposable
{
    private const string Service = "/cascade.v1.OrchestratorService/";
    private readonly GrpcClient _client = GrpcClient.Create(address);

    public Task<Result> ClassifyAsync(byte[] image, TimeSpan deadline, CancellationToken cancellationToken) =>
        _client.UnaryAsync(Service + "Classify", new ClassifyRequest { Image = ByteString.CopyFrom(image) }, Result.Parser, deadline, cancellationToken);

    public async Task<string> SubmitAsync(byte[] image, string? clientRequestId, CancellationToken cancellationToken) =>
        (await _client.UnaryAsync(Service + "Submit", new ClassifyRequest { Image = ByteString.CopyFrom(image), ClientRequestId = clientRequestId ?? "" },
            SubmitResponse.Parser, TimeSpan.FromSeconds(30), cancellationToken)).SubmissionId;

    public IAsyncEnumerable<Result> WatchAsync(IEnumerable<string> ids, CancellationToken cancellationToken) =>
        _client.ServerStreamingAsync(Service + "WatchResults", new WatchResultsRequest { SubmissionIds = { ids } }, Result.Parser, cancellationToken: cancellationToken);

    /// <summary>A result as a `classify` row; an INVALID_ARGUMENT image error becomes the row's error code.</summary>
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
        catch (GrpcException e)
        {
            var code = e.Status == GrpcStatusCode.InvalidArgument && e.Message.Split(':')[0] is { } prefix && prefix.StartsWith("IMAGE_") ? prefix : e.Status.ToString().ToUpperInvariant();
            return new ClassificationRow { Path = path, ErrorCode = code, ErrorMessage = e.Message };
        }
    }

    public void Dispose() => _client.Dispose();
}
