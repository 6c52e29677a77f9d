using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Cascade.Protos;
using Google.Protobuf.WellKnownTypes;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Grpc;

/// <summary>Contract results as <c>cascade.v1</c> messages.</summary>
public static class ResultMessages
{
    public static V1.Result ToMessage(this SubmissionFinished result)
    {
        var message = new V1.Result
        {
            SubmissionId = result.SubmissionId.ToString(),
            ClientRequestId = result.ClientRequestId ?? "",
            State = result.Status.ToMessage(),
            Verdict = result.Verdict switch
            {
                Verdict.NoObject => V1.Verdict.NoObject,
                Verdict.Label => V1.Verdict.Label,
                Verdict.Unknown => V1.Verdict.Unknown,
                _ => V1.Verdict.Unspecified,
            },
            Label = result.Label ?? "",
            TotalMs = ResultJson.Milliseconds(result.TotalMs),
            ErrorCode = result.ErrorCode ?? "",
            ErrorMessage = result.ErrorMessage ?? "",
            TraceId = result.TraceId ?? "",
            SubmitTime = Timestamp.FromDateTimeOffset(result.SubmittedAt),
            CompleteTime = Timestamp.FromDateTimeOffset(result.FinishedAt),
        };
        if (result.Gate is { } gate)
        {
            message.Gate = new V1.GateResult
            {
                Score = (float)gate.Score,
                Threshold = (float)gate.Threshold,
                Accepted = gate.Score >= gate.Threshold,
                Model = gate.Model.ToMessage(),
                Timing = gate.Timings.ToMessage(),
            };
        }
        if (result.Classifier is { } classifier)
        {
            message.Classifier = new V1.ClassifierResult { Label = result.Label ?? "", Model = classifier.Model.ToMessage(), Timing = classifier.Timings.ToMessage() };
            message.Classifier.Scores.AddRange(classifier.Scores.Select(s => s.ToMessage()));
        }
        return message;
    }

    public static V1.Result ToMessage(this PendingSubmission pending) =>
        new() { SubmissionId = pending.SubmissionId.ToString(), ClientRequestId = pending.ClientRequestId ?? "", State = pending.Status.ToMessage() };

    public static V1.State ToMessage(this SubmissionStatus status) => status switch
    {
        SubmissionStatus.Submitted => V1.State.Submitted,
        SubmissionStatus.Gating => V1.State.Gating,
        SubmissionStatus.Classifying => V1.State.Classifying,
        SubmissionStatus.Completed => V1.State.Completed,
        SubmissionStatus.Rejected => V1.State.Rejected,
        SubmissionStatus.Failed => V1.State.Failed,
        SubmissionStatus.TimedOut => V1.State.TimedOut,
        _ => V1.State.Unspecified,
    };

    public static V1.Model ToMessage(this ModelInfo model) => new() { Name = model.Name, Version = model.Version };

    public static V1.LabelScore ToMessage(this LabelScore score) => new() { Label = score.Label, Score = (float)score.Score, Threshold = (float)score.Threshold };

    public static V1.StageTiming ToMessage(this StageTimings timing) => new()
    {
        PreprocessMs = ResultJson.Milliseconds(timing.PreprocessMs),
        QueueMs = ResultJson.Milliseconds(timing.QueueMs),
        InferenceMs = ResultJson.Milliseconds(timing.InferenceMs),
        BatchSize = timing.BatchSize,
        StageMs = ResultJson.Milliseconds(timing.StageMs),
    };
}
