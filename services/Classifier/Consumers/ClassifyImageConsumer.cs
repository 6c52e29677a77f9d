using Cascade.Contracts;
using Cascade.Inference.Pipeline;
using Cascade.StageHosting;
using MassTransit;

namespace Cascade.Classifier.Consumers;

/// <summary>
/// Stage 2: per-label scores and the chosen label for an image the gate accepted: only the head when the gate forwarded
/// outputs of this classifier's backbone, else on the gate's decode when it fits, else on the image.
/// </summary>
public sealed class ClassifyImageConsumer(LoadedModel<ClassifierStage> model, StageForwarding forwarding) : IConsumer<ClassifyImage>
{
    public const string StageName = "classifier";

    public async Task Consume(ConsumeContext<ClassifyImage> context)
    {
        var message = context.Message;
        using var run = await model.RunAsync<ClassifierStage, ClassifierOutcome>(context, message.SubmissionId, message.Image, StageName, forwarding, message.AnswerBy, message.Pixels, message.Backbone);
        if (run is null) return;
        var outcome = run.Outcome;
        var scores = outcome.Decision.Scores.Select(s => new LabelScore(s.Label, s.Score, s.Threshold)).ToArray();
        var result = new ClassifierResult(scores, new ModelInfo(outcome.Model, outcome.ModelVersion), outcome.Timing.ToContract(run.StageMs));
        await context.Publish(new ImageClassified { SubmissionId = message.SubmissionId, Label = outcome.Decision.Label, Gate = message.Gate, Classifier = result });
    }
}
