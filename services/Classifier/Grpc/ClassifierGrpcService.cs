using Cascade.Inference.Pipeline;
using Cascade.StageHosting;
using Grpc.Core;
using V1 = Cascade.Protos.V1;

namespace Cascade.Classifier.Grpc;

/// <summary><c>cascade.v1.ClassifierService</c>: the fine classifier on its own, without the gate or the bus.</summary>
public sealed class ClassifierGrpcService(LoadedModel<ClassifierStage> model) : V1.ClassifierService.ClassifierServiceBase
{
    public override async Task<V1.ClassifierResult> Classify(V1.ClassifyImageRequest request, ServerCallContext context)
    {
        var outcome = await model.RunAsync<ClassifierStage, ClassifierOutcome>(request.Image, context.CancellationToken);
        var t = outcome.Timing;
        var result = new V1.ClassifierResult
        {
            Label = outcome.Decision.Label ?? "",
            Model = new V1.Model { Name = outcome.Model, Version = outcome.ModelVersion },
            Timing = new V1.StageTiming { PreprocessMs = t.PreprocessMs, QueueMs = t.QueueMs, InferenceMs = t.InferenceMs, BatchSize = t.BatchSize, StageMs = t.TotalMs },
        };
        result.Scores.AddRange(outcome.Decision.Scores.Select(s => new V1.LabelScore { Label = s.Label, Score = s.Score, Threshold = s.Threshold }));
        return result;
    }
}
