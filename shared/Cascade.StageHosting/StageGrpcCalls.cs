using Cascade.Contracts.Errors;
using Cascade.Inference.Pipeline;
using Google.Protobuf;

namespace Cascade.StageHosting;

/// <summary>Runs a stage for a direct gRPC call; its errors become statuses in <see cref="Grpc.ErrorMappingInterceptor"/>.</summary>
public static class StageGrpcCalls
{
    public static async Task<TOutcome> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ByteString image, CancellationToken cancellationToken)
        where TStage : ModelStage<TOutcome>
    {
        if (!model.IsLoaded)
            throw new CascadeException(ErrorKind.Unavailable, ErrorCodes.ModelNotLoaded,
                $"The {model.Name} model is not loaded{(model.LoadError is { } e ? $": {e.Message}" : " yet")}.");
        // The caller's deadline and cancellation reach the batcher, which leaves a cancelled request out of its batch.
        return await (await model.Stage.ConfigureAwait(false)).RunAsync(image.Memory, cancellationToken).ConfigureAwait(false);
    }
}
