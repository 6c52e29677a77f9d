using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Models;
using MassTransit;

namespace Cascade.Classifier.Consumers;

/// <summary>Stage 2: per-label scores and the chosen label for an image the gate accepted.</summary>
public sealed class ClassifyImageConsumer(LoadedModel<ClassifierStage> model) : IConsumer<ClassifyImage>
{
    public const string StageName = "classifier";

    public async Task Consume(ConsumeContext<ClassifyImage> context)
    {
        var started = Stopwatch.GetTimestamp();
        var message = context.Message;
        var classifier = await model.Stage;
        var image = await message.Image.Value;
        ClassifierOutcome outcome;
        try
        {
            outcome = await classifier.RunAsync(image, context.CancellationToken);
        }
        catch (ImageException e)
        {
            await context.Publish(new StageFailed { SubmissionId = message.SubmissionId, Stage = StageName, ErrorCode = e.ErrorCode, ErrorMessage = e.Message });
            return;
        }

        var timing = outcome.Timing;
        var scores = outcome.Decision.Scores.Select(s => new LabelScore(s.Label, s.Score, s.Threshold)).ToArray();
        var result = new ClassifierResult(scores, new ModelInfo(outcome.Model, outcome.ModelVersion),
            new StageTimings(timing.PreprocessMs, timing.QueueMs, timing.InferenceMs, timing.BatchSize, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        await context.Publish(new ImageClassified { SubmissionId = message.SubmissionId, Label = outcome.Decision.Label, Gate = message.Gate, Classifier = result });
    }
}
