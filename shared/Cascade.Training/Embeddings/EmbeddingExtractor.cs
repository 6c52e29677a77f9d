using System.Threading.Channels;
using Cascade.Imaging;
using Cascade.Inference.Runtime;
using Cascade.Training.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Cascade.Training.Embeddings;

/// <summary>
/// Runs the backbone with its embedding tensor exposed as the output (graph edited in memory) and returns
/// one embedding per request, from the cache where present. Decoding and preprocessing of the next batch
/// overlap the model call of the current one.
/// </summary>
public sealed class EmbeddingExtractor : IDisposable
{
    private readonly BackboneSpec _backbone;
    private readonly EmbeddingCache? _cache;
    private readonly string _cacheKey;
    private readonly InferenceSession _session;
    private readonly ImageDecoder _decoder = new();
    private readonly TensorLayout _layout;
    private readonly int _batchSize;
    private readonly (string Name, int Width)[] _outputs;
    /// <summary>The exposed model's output names for <see cref="_outputs"/> (a quantized tensor's are its dequantized copy's).</summary>
    private readonly string[] _outputNames;

    public EmbeddingExtractor(BackboneSpec backbone, EmbeddingCache? cache, int batchSize = 32, int intraOpThreads = 0)
    {
        _backbone = backbone;
        _cache = cache;
        _batchSize = batchSize;
        _layout = backbone.Input.ToTensorLayout();
        _outputs = backbone.LogitsTensor is null
            ? [(backbone.EmbeddingTensor, backbone.EmbeddingSize)]
            : [(backbone.EmbeddingTensor, backbone.EmbeddingSize), (backbone.LogitsTensor, backbone.LogitsSize)];
        var (model, outputNames) = OnnxGraphEditor.ExposeTensors(File.ReadAllBytes(backbone.ModelPath), _outputs);
        _outputNames = outputNames.ToArray();
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        // The services' default kernels: a head trained on other embeddings than the services compute would be scored off.
        Int8Kernels.Choose(options, ExactInt8Mode.Auto);
        _session = new InferenceSession(model, options);
        // Embeddings cached before the extractor chose its kernels came from the overflowing fast ones on CPUs without
        // VNNI; there the exact kernels' embeddings live under their own key.
        _cacheKey = Int8Kernels.UseExact(ExactInt8Mode.Auto) ? backbone.CacheKey + "-exact-int8" : backbone.CacheKey;
    }

    /// <summary>Values per image: <see cref="BackboneSpec.RawSize"/>.</summary>
    public int Dimension => _backbone.RawSize;
    /// <summary>Embeddings the last <see cref="Extract"/> computed with the model (cache misses).</summary>
    public int LastComputed { get; private set; }

    /// <summary>Embeddings in request order. <paramref name="progress"/> gets the number of requests done so far.</summary>
    public async Task<float[][]> ExtractAsync(IReadOnlyList<EmbeddingRequest> requests, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new float[requests.Count][];
        var missing = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var embedding = new float[Dimension];
            var request = requests[i];
            if (_cache is not null && _cache.TryRead(_cacheKey, request.ContentHash, request.View.Key, embedding)) results[i] = embedding;
            else missing.Add(i);
        }
        var done = requests.Count - missing.Count;
        progress?.Report(done);
        LastComputed = missing.Count;
        if (missing.Count == 0) return results;

        var batches = Channel.CreateBounded<(int[] Indices, float[] Input)>(2);
        // Cancelled when the consumer stops early (an ONNX Runtime error), so the producer never waits on a full channel forever.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceBatches(requests, missing, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var (indices, input) in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var output = Run(input, indices.Length);
                for (var b = 0; b < indices.Length; b++)
                {
                    var embedding = output.AsSpan(b * Dimension, Dimension).ToArray();
                    var request = requests[indices[b]];
                    _cache?.Write(_cacheKey, request.ContentHash, request.View.Key, embedding);
                    results[indices[b]] = embedding;
                }
                done += indices.Length;
                progress?.Report(done);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected when the consumer stopped first; its own exception is the one that propagates.
            }
        }
        return results;
    }

    private async Task ProduceBatches(IReadOnlyList<EmbeddingRequest> requests, List<int> missing, ChannelWriter<(int[], float[])> writer, CancellationToken cancellationToken)
    {
        var elements = _layout.ElementCount;
        // Views of one image are adjacent in the request list: keep its last decode to avoid decoding it again.
        string? lastKey = null;
        DecodedImage? last = null;
        try
        {
            for (var start = 0; start < missing.Count; start += _batchSize)
            {
                var indices = missing.GetRange(start, Math.Min(_batchSize, missing.Count - start)).ToArray();
                var input = new float[indices.Length * elements];
                for (var b = 0; b < indices.Length; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var request = requests[indices[b]];
                    var key = $"{request.ContentHash}:{request.View.ShortSide}";
                    if (key != lastKey)
                    {
                        last?.Dispose();
                        last = null;
                        last = Load(request);
                        lastKey = key;
                    }
                    request.View.Write(last!, _layout, input.AsSpan(b * elements, elements));
                }
                await writer.WriteAsync((indices, input), cancellationToken).ConfigureAwait(false);
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
        finally
        {
            last?.Dispose();
        }
    }

    private DecodedImage Load(EmbeddingRequest request)
    {
        if (request.Generate is not null) return request.Generate();
        var spec = new ResizeSpec(ResizeMode.ShortSideCrop, _layout.Width, _layout.Height, request.View.ShortSide);
        try
        {
            return _decoder.Decode(File.ReadAllBytes(request.Path!), spec);
        }
        catch (ImageException e)
        {
            throw new InvalidDataException($"{request.Path}: {e.Message}", e);
        }
    }

    /// <summary>[batch, Dimension]: each image's outputs side by side (embedding, then logits).</summary>
    private float[] Run(float[] input, int batch)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(), [batch, 3, _layout.Height, _layout.Width]);
        var buffers = _outputs.Select(o => new float[batch * o.Width]).ToArray();
        var values = _outputs.Select((o, k) => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers[k].AsMemory(), [batch, o.Width])).ToArray();
        try
        {
            _session.Run(null, [_backbone.Input.Name], [inputValue], _outputNames, values);
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
        var output = new float[batch * Dimension];
        for (var b = 0; b < batch; b++)
        {
            var offset = b * Dimension;
            for (var k = 0; k < _outputs.Length; k++)
            {
                buffers[k].AsSpan(b * _outputs[k].Width, _outputs[k].Width).CopyTo(output.AsSpan(offset));
                offset += _outputs[k].Width;
            }
        }
        return output;
    }

    public void Dispose() => _session.Dispose();
}
