using Cascade.Grpc.Protocol;
using Cascade.Imaging;
using Cascade.Inference.Batching;
using Cascade.Inference.Pipeline;
using Google.Protobuf;

namespace Cascade.ServiceDefaults.Models;

/// <summary>Runs a stage for a direct gRPC call, with the status mapping every stage shares.</summary>
public static class StageGrpcCalls
{
    public static async Task<TOutcome> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ByteString image, CancellationToken cancellationToken)
        where TStage : ModelStage<TOutcome>
    {
        if (!model.IsLoaded)
            throw new GrpcException(GrpcStatusCode.Unavailable, $"The {model.Name} model is not loaded{(model.LoadError is { } e ? $": {e.Message}" : " yet")}.");
        if (image.IsEmpty) throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{ImageErrorCode.Empty.ToCode()}: field 'image' is empty.");
        try
        {
            return await (await model.Stage.ConfigureAwait(false)).RunAsync(image.Memory, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{e.ErrorCode}: {e.Message}");
        }
        catch (OverloadedException e)
        {
            throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"{OverloadedException.ErrorCode}: {e.Message}");
        }
    }
}
