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
        using var decoded = Decode(image.Span);
        return await ScoreAsync(decoded, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores an image decoded already (it must have been resized with <see cref="ModelPack.Resize"/>).</summary>
    public Task<(float[] Probabilities, StageTiming Timing)> ScoreAsync(DecodedImage decoded, CancellationToken cancellationToken = default) =>
        ScoreAsync(decoded, Stopwatch.GetTimestamp(), cancellationToken);

    /// <summary>Decodes with the pack's resize; image errors are counted by code.</summary>
    public DecodedImage Decode(ReadOnlySpan<byte> image)
    {
        try
        {
            return _decoder.Decode(image, Pack.Resize);
        }
        catch (ImageException e)
        {
            InferenceMetrics.ImageErrors.Add(1, new KeyValuePair<string, object?>("code", e.ErrorCode));
            throw;
        }
    }

    /// <param name="started">When preprocessing began (before decoding, when the caller decoded).</param>
    internal Task<(float[] Probabilities, StageTiming Timing)> ScoreAsync(DecodedImage decoded, long started, CancellationToken cancellationToken)
    {
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
