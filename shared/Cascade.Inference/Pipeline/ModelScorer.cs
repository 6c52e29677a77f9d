using System.Buffers;
using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Batching;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

/// <summary>Image bytes to the model's probabilities: decode and preprocess on the caller's thread, then batch.</summary>
public sealed class ModelScorer : IAsyncDisposable
{
    private readonly ImageDecoder _decoder;
    private readonly DynamicBatcher _batcher;
    private readonly KeyValuePair<string, object?> _modelTag;

    public ModelScorer(ModelPack pack, ImageDecoder decoder, BatchingOptions batching)
    {
        Pack = pack;
        _decoder = decoder;
        _batcher = new DynamicBatcher(pack, batching);
        _modelTag = new("model", pack.Manifest.Name);
    }

    public ModelPack Pack { get; }
    public ImageDecoder Decoder => _decoder;

    public async Task<(float[] Probabilities, StageTiming Timing)> ScoreAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var input = ArrayPool<float>.Shared.Rent(Pack.InputElements);
        try
        {
            using var decoded = _decoder.Decode(image.Span, Pack.Resize);
            Pack.Layout.Write(decoded, input);
        }
        catch (Exception e)
        {
            ArrayPool<float>.Shared.Return(input);
            if (e is ImageException imageError) InferenceMetrics.ImageErrors.Add(1, new KeyValuePair<string, object?>("code", imageError.ErrorCode));
            throw;
        }
        return await InferAsync(input, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores an image decoded already (it must have been resized with <see cref="ModelPack.Resize"/>).</summary>
    public Task<(float[] Probabilities, StageTiming Timing)> ScoreAsync(DecodedImage decoded, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var input = ArrayPool<float>.Shared.Rent(Pack.InputElements);
        try
        {
            Pack.Layout.Write(decoded, input);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(input);
            throw;
        }
        return InferAsync(input, started, cancellationToken);
    }

    private async Task<(float[], StageTiming)> InferAsync(float[] input, long started, CancellationToken cancellationToken)
    {
        var preprocessMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        InferenceMetrics.PreprocessDuration.Record(preprocessMs, _modelTag);
        var (probabilities, batch) = await _batcher.InferAsync(input, cancellationToken).ConfigureAwait(false);
        return (probabilities, StageTiming.From(preprocessMs, batch));
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
