using System.Text.Json;
using Cascade.Contracts.Errors;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using Cascade.Protos;
using V1 = Cascade.Protos.V1;

namespace Cascade.Cli.Commands;

/// <summary>
/// One image of `cascade classify`, the same whether it ran in-process or on a server: its path and its
/// <c>cascade.v1.Result</c>, so <c>--json</c> writes the one result schema (<see cref="ResultJson"/>) with <c>path</c> first.
/// </summary>
internal sealed record ClassificationRow(string Path, string Name, V1.Result Result)
{
    public bool Failed => Result.State is V1.State.Failed or V1.State.TimedOut;

    /// <summary>The summary bucket: the label, the verdict, or the error code.</summary>
    public string Outcome => Failed ? Result.ErrorCode : Result.Verdict == V1.Verdict.Label ? Result.Label : JsonNamingPolicy.SnakeCaseUpper.ConvertName(Result.Verdict.ToString());

    public string ToJsonLine()
    {
        var result = ResultJson.Format(Result);
        var path = $"{{\"path\":{JsonSerializer.Serialize(Path)}";
        return result == "{}" ? path + "}" : $"{path},{result[1..]}";
    }

    public static ClassificationRow From(ImageFile file, CascadeResult result)
    {
        var message = new V1.Result
        {
            State = result.Verdict == Inference.Decisions.Verdict.NoObject ? V1.State.Rejected : V1.State.Completed,
            Verdict = result.Verdict switch
            {
                Inference.Decisions.Verdict.NoObject => V1.Verdict.NoObject,
                Inference.Decisions.Verdict.Label => V1.Verdict.Label,
                _ => V1.Verdict.Unknown,
            },
            Label = result.Label ?? "",
            TotalMs = ResultJson.Milliseconds(result.TotalMs),
            Gate = new V1.GateResult
            {
                Score = result.Gate.Decision.Score,
                Threshold = result.Gate.Decision.Threshold,
                Accepted = result.Gate.Decision.Accepted,
                Model = new V1.Model { Name = result.Gate.Model, Version = result.Gate.ModelVersion },
                Timing = Timing(result.Gate.Timing),
            },
        };
        if (result.Classifier is { } classifier)
        {
            message.Classifier = new V1.ClassifierResult
            {
                Label = result.Label ?? "",
                Model = new V1.Model { Name = classifier.Model, Version = classifier.ModelVersion },
                Timing = Timing(classifier.Timing),
            };
            message.Classifier.Scores.AddRange(classifier.Decision.Scores.Select(s => new V1.LabelScore { Label = s.Label, Score = s.Score, Threshold = s.Threshold }));
        }
        return new ClassificationRow(file.Path, file.Name, message);
    }

    public static ClassificationRow From(ImageFile file, ImageException error) => Failure(file, error.ErrorCode, error.Message);

    public static ClassificationRow Failure(ImageFile file, string errorCode, string errorMessage) =>
        new(file.Path, file.Name, new V1.Result { State = V1.State.Failed, ErrorCode = errorCode, ErrorMessage = errorMessage });

    private static V1.StageTiming Timing(StageTiming timing) => new()
    {
        PreprocessMs = ResultJson.Milliseconds(timing.PreprocessMs),
        QueueMs = ResultJson.Milliseconds(timing.QueueMs),
        InferenceMs = ResultJson.Milliseconds(timing.InferenceMs),
        BatchSize = timing.BatchSize,
        StageMs = ResultJson.Milliseconds(timing.TotalMs),
    };
}
