using System.Buffers;
using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Batching;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

/// <summary>
/// Image bytes to a stage's probabilities: decode and preprocess on the caller's thread, batch the backbone, then the head
/// (microseconds) on the caller's thread again. Stages on one backbone share its batcher.
/// </summary>
public sealed class ModelScorer(DynamicBatcher backbone, ModelHead head, ImageDecoder decoder) : IAsyncDisposable
{
    private readonly KeyValuePair<string, object?> _modelTag = new("model", head.Manifest.Name);

    /// <summary>The image model: the whole pack, or the backbone pack the head reads.</summary>
    public ModelPack Pack => backbone.Model;
    public ModelHead Head { get; } = head;
    public DynamicBatcher Batcher => backbone;
    public ImageDecoder Decoder => decoder;

    public async Task<ScoredImage> ScoreAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var decoded = Decode(image.Span);
        return await ScoreAsync(decoded, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores an image decoded already (it must have been resized with <see cref="ModelPack.Resize"/>).</summary>
    public Task<ScoredImage> ScoreAsync(DecodedImage decoded, CancellationToken cancellationToken = default) =>
        ScoreAsync(decoded, Stopwatch.GetTimestamp(), cancellationToken);

    /// <summary>The head alone on outputs another stage got from this scorer's backbone (<see cref="Reads"/>).</summary>
    public ScoredImage Score(BackboneOutputs outputs)
    {
        if (!Reads(outputs)) throw new ArgumentException($"Outputs of {outputs.Backbone.DisplayName} given to a head on {Pack.DisplayName}.", nameof(outputs));
        var started = Stopwatch.GetTimestamp();
        var probabilities = Apply(outputs.Row);
        // Batch size 0: this stage ran no backbone.
        return new ScoredImage(probabilities, outputs, new StageTiming(0, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0));
    }

    /// <summary>Whether <paramref name="outputs"/> come from this scorer's backbone, so <see cref="Score(BackboneOutputs)"/> can use them.</summary>
    public bool Reads(BackboneOutputs outputs) => ReferenceEquals(outputs.Backbone, Pack) && outputs.Row.Length == Pack.OutputSize;

    /// <summary>Decodes with the pack's resize; image errors are counted by code.</summary>
    public DecodedImage Decode(ReadOnlySpan<byte> image)
    {
        try
        {
            return decoder.Decode(image, Pack.Resize);
        }
        catch (ImageException e)
        {
            InferenceMetrics.ImageErrors.Add(1, new KeyValuePair<string, object?>("code", e.ErrorCode));
            throw;
        }
    }

    /// <param name="started">When preprocessing began (before decoding, when the caller decoded).</param>
    internal Task<ScoredImage> ScoreAsync(DecodedImage decoded, long started, CancellationToken cancellationToken)
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

    private async Task<ScoredImage> InferAsync(float[] input, long started, CancellationToken cancellationToken)
    {
        var preprocessMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        InferenceMetrics.PreprocessDuration.Record(preprocessMs, _modelTag);
        var (row, batch) = await backbone.InferAsync(input, cancellationToken).ConfigureAwait(false);
        var headStarted = Stopwatch.GetTimestamp();
        var probabilities = Apply(row);
        var timing = StageTiming.From(preprocessMs, batch) with { InferenceMs = batch.InferenceMs + Stopwatch.GetElapsedTime(headStarted).TotalMilliseconds };
        return new ScoredImage(probabilities, new BackboneOutputs(Pack, row), timing);
    }

    private float[] Apply(float[] row)
    {
        var probabilities = new float[Head.Classes];
        Head.Score(row, probabilities);
        return probabilities;
    }

    /// <summary>Stops the batcher (a shared one stops at the first call; later calls wait for it) and closes the head.</summary>
    public async ValueTask DisposeAsync()
    {
        await backbone.DisposeAsync().ConfigureAwait(false);
        Head.Dispose();
    }
}
