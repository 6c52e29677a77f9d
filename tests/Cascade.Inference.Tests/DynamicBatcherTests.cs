using System.Buffers;
using Cascade.Imaging;
using Cascade.Inference.Batching;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Tests;

public class DynamicBatcherTests : IDisposable
{
    private readonly ModelPack _pack = SharedAssets.Store().Load("classifier-mobilenetv2-fp32");
    private readonly ImageDecoder _decoder = new();

    public void Dispose() => _pack.Dispose();

    private float[] Preprocess(string photo)
    {
        var input = ArrayPool<float>.Shared.Rent(_pack.InputElements);
        using var image = _decoder.Decode(File.ReadAllBytes(photo), _pack.Resize);
        _pack.Layout.Write(image, input);
        return input;
    }

    private float[] Unbatched(float[] input)
    {
        var output = new float[_pack.OutputSize];
        _pack.Run(input.AsSpan(0, _pack.InputElements), 1, output);
        return Probabilities(output);
    }

    /// <summary>The batcher hands back raw logits; compared as the stages see them.</summary>
    private float[] Probabilities(float[] row)
    {
        var probabilities = new float[row.Length];
        ModelHead.Of(_pack).Score(row, probabilities);
        return probabilities;
    }

    [Fact]
    public async Task Batched_results_equal_unbatched_results()
    {
        var photos = SharedAssets.Photos("bears/grizzly").Take(24).ToList();
        var expected = photos.Select(p => Unbatched(Preprocess(p))).ToList();

        await using var batcher = new DynamicBatcher(_pack, new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(200) });
        var results = await Task.WhenAll(photos.Select(p => batcher.InferAsync(Preprocess(p))));

        results.Max(r => r.Timing.BatchSize).Should().BeGreaterThan(1, "concurrent requests must share model calls");
        for (var i = 0; i < photos.Count; i++)
        {
            var probabilities = Probabilities(results[i].Outputs);
            for (var c = 0; c < _pack.OutputSize; c++) probabilities[c].Should().BeApproximately(expected[i][c], 1e-4f);
        }
    }

    [Fact]
    public async Task Many_concurrent_callers_each_get_their_own_answer()
    {
        var photos = SharedAssets.Photos("bears").Take(12).ToList();
        var inputs = photos.Select(Preprocess).ToList();
        var expected = inputs.Select(Unbatched).ToList();
        await using var batcher = new DynamicBatcher(_pack, new BatchingOptions { MaxBatchSize = 16, MaxWait = TimeSpan.FromMilliseconds(2) });

        var calls = Enumerable.Range(0, 96).Select(i => Task.Run(async () =>
        {
            var copy = ArrayPool<float>.Shared.Rent(_pack.InputElements);
            inputs[i % inputs.Count].AsSpan(0, _pack.InputElements).CopyTo(copy);
            return (Index: i % inputs.Count, Result: await batcher.InferAsync(copy));
        }));
        foreach (var (index, result) in await Task.WhenAll(calls))
            Array.IndexOf(result.Outputs, result.Outputs.Max()).Should().Be(Array.IndexOf(expected[index], expected[index].Max()));
    }

    [Fact]
    public async Task Full_queue_refuses_at_once_with_overloaded()
    {
        await using var batcher = new DynamicBatcher(_pack, new BatchingOptions { MaxBatchSize = 1, QueueCapacity = 2, MaxWait = TimeSpan.Zero });
        var input = Preprocess(SharedAssets.Photos("bears/black")[0]);
        var accepted = new List<Task>();
        var refused = 0;
        for (var i = 0; i < 40; i++)
        {
            var copy = ArrayPool<float>.Shared.Rent(_pack.InputElements);
            input.AsSpan(0, _pack.InputElements).CopyTo(copy);
            try
            {
                accepted.Add(batcher.InferAsync(copy));
            }
            catch (OverloadedException e)
            {
                e.Message.Should().Contain("overloaded");
                refused++;
            }
        }
        refused.Should().BeGreaterThan(0);
        await Task.WhenAll(accepted); // everything accepted still completes
    }

    [Fact]
    public async Task Cancelled_caller_is_removed_from_its_batch()
    {
        await using var batcher = new DynamicBatcher(_pack, new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(300) });
        var photo = SharedAssets.Photos("bears/teddy")[0];
        using var cancel = new CancellationTokenSource();
        var first = batcher.InferAsync(Preprocess(photo));
        var cancelled = batcher.InferAsync(Preprocess(photo), cancel.Token);
        var third = batcher.InferAsync(Preprocess(photo));
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>();
        var results = await Task.WhenAll(first, third);
        results.Should().OnlyContain(r => r.Timing.BatchSize == 2, "the cancelled request must not take a slot in the model call");
    }
}
