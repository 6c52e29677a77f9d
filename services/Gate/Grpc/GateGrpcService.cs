using Cascade.Inference.Pipeline;
using Cascade.StageHosting;
using Grpc.Core;
using V1 = Cascade.Protos.V1;

namespace Cascade.Gate.Grpc;

/// <summary><c>cascade.v1.GateService</c>: the gate on its own, without the bus.</summary>
public sealed class GateGrpcService(LoadedModel<GateStage> model) : V1.GateService.GateServiceBase
{
    public override async Task<V1.GateResult> Evaluate(V1.EvaluateRequest request, ServerCallContext context)
    {
        var outcome = await model.RunAsync<GateStage, GateOutcome>(request.Image, context.CancellationToken);
        var t = outcome.Timing;
        return new V1.GateResult
        {
            Score = outcome.Decision.Score,
            Threshold = outcome.Decision.Threshold,
            Accepted = outcome.Decision.Accepted,
            Model = new V1.Model { Name = outcome.Model, Version = outcome.ModelVersion },
            Timing = new V1.StageTiming { PreprocessMs = t.PreprocessMs, QueueMs = t.QueueMs, InferenceMs = t.InferenceMs, BatchSize = t.BatchSize, StageMs = t.TotalMs },
        };
    }
}
