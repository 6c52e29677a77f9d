using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Batching;

/// <summary>
/// Gathers concurrent requests for one model into one ONNX Runtime call: a batch closes when it holds
/// <see cref="BatchingOptions.MaxBatchSize"/> images or its first image has waited <see cref="BatchingOptions.MaxWait"/>.
/// Callers preprocess on their own threads, so decoding the next images overlaps inference of this batch.
/// The queue is bounded: when full, <see cref="InferAsync"/> throws <see cref="OverloadedException"/> at once.
/// A cancelled caller is dropped from the batch it waited for.
/// The model runs on the batcher's own thread: an ONNX Runtime call blocks for tens of milliseconds, and on
/// thread-pool threads two busy models starve the pool that the bus and the web host need on a small machine.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly ModelPack _model;
    private readonly BatchingOptions _options;
    private readonly int _maxBatch;
    private readonly Channel<Request> _queue;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeyValuePair<string, object?> _modelTag;

    public DynamicBatcher(ModelPack model, BatchingOptions options)
    {
        options.Validate();
        _model = model;
        _options = options;
        _maxBatch = Math.Min(options.MaxBatchSize, model.MaxBatch);
        _modelTag = new("model", model.Manifest.Name);
        _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(RunLoop) { IsBackground = true, Name = $"batcher {model.Manifest.Name}" };
        _thread.Start();
    }

    public ModelPack Model => _model;
    public int MaxBatch => _maxBatch;

    /// <summary>
    /// Queues one preprocessed image and returns its raw output row (<see cref="ModelPack.Run(float[], int, float[])"/>). Takes ownership of
    /// <paramref name="pooledInput"/> (rented from <see cref="ArrayPool{T}.Shared"/>), which it returns.
    /// </summary>
    public Task<(float[] Outputs, BatchTiming Timing)> InferAsync(float[] pooledInput, CancellationToken cancellationToken = default)
    {
        var request = new Request(pooledInput, Stopwatch.GetTimestamp());
        if (cancellationToken.CanBeCanceled)
            request.Registration = cancellationToken.Register(static state => ((Request)state!).Completion.TrySetCanceled(), request);
        if (!_queue.Writer.TryWrite(request))
        {
            request.Release();
            InferenceMetrics.Overloaded.Add(1, _modelTag);
            if (_stopped.Task.IsCompleted) throw new ObjectDisposedException(nameof(DynamicBatcher), $"The batcher for {_model.DisplayName} is stopped.");
            throw new OverloadedException(_model.DisplayName, _options.QueueCapacity);
        }
        return request.Completion.Task;
    }

    private void RunLoop()
    {
        var batch = new List<Request>(_maxBatch);
        var input = new float[_maxBatch * _model.InputElements];
        var output = new float[_maxBatch * _model.OutputSize];
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader, Timeout.InfiniteTimeSpan))
            {
                if (!TryTakeLive(reader, out var first)) continue;
                batch.Add(first);
                FillBatch(reader, batch);
                RunBatch(batch, input, output);
                batch.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void FillBatch(ChannelReader<Request> reader, List<Request> batch)
    {
        var closesAt = batch[0].EnqueuedAt + (long)(_options.MaxWait.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < _maxBatch)
        {
            if (TryTakeLive(reader, out var next))
            {
                batch.Add(next);
                continue;
            }
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), closesAt);
            if (remaining <= TimeSpan.Zero || !WaitToRead(reader, remaining)) return;
        }
    }

    /// <summary>Blocks this (dedicated) thread until a request is queued: false when the queue completed or <paramref name="timeout"/> passed.</summary>
    private static bool WaitToRead(ChannelReader<Request> reader, TimeSpan timeout)
    {
        var ready = reader.WaitToReadAsync();
        if (ready.IsCompleted) return ready.Result;
        var wait = ready.AsTask();
        return wait.Wait(timeout) && wait.Result;
    }

    /// <summary>Reads the next request whose caller is still waiting; cancelled ones are released here.</summary>
    private static bool TryTakeLive(ChannelReader<Request> reader, out Request request)
    {
        while (reader.TryRead(out request!))
        {
            if (!request.Completion.Task.IsCompleted) return true;
            request.Release();
        }
        return false;
    }

    private void RunBatch(List<Request> batch, float[] input, float[] output)
    {
        // Callers may have given up while the batch was filling: their slots go to nobody.
        batch.RemoveAll(static request =>
        {
            if (!request.Completion.Task.IsCompleted) return false;
            request.Release();
            return true;
        });
        if (batch.Count == 0) return;
        var elements = _model.InputElements;
        for (var i = 0; i < batch.Count; i++) batch[i].Input.AsSpan(0, elements).CopyTo(input.AsSpan(i * elements));

        var started = Stopwatch.GetTimestamp();
        try
        {
            _model.Run(input, batch.Count, output);
        }
        catch (Exception e)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(e);
                request.Release();
            }
            return;
        }
        var inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        InferenceMetrics.BatchSize.Record(batch.Count, _modelTag);
        InferenceMetrics.ModelDuration.Record(inferenceMs, _modelTag);

        var rowSize = _model.OutputSize;
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            var queueMs = Stopwatch.GetElapsedTime(request.EnqueuedAt, started).TotalMilliseconds;
            InferenceMetrics.BatchWait.Record(queueMs, _modelTag);
            request.Completion.TrySetResult((output.AsSpan(i * rowSize, rowSize).ToArray(), new BatchTiming(queueMs, inferenceMs, batch.Count)));
            request.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
    }

    private sealed class Request(float[] input, long enqueuedAt)
    {
        public float[] Input { get; } = input;
        public long EnqueuedAt { get; } = enqueuedAt;
        public TaskCompletionSource<(float[], BatchTiming)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }

        public void Release()
        {
            Registration.Dispose();
            ArrayPool<float>.Shared.Return(Input);
        }
    }
}
