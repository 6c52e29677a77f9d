using System.Text.Json.Serialization;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;

namespace Cascade.Cli.Commands;

/// <summary>One line of `cascade classify` output, the same whether it ran in-process or on a server.</summary>
internal sealed record ClassificationRow
{
    public required string Path { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Verdict { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Label { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? GateScore { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? GateThreshold { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, float>? Scores { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? GateMs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ClassifierMs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TotalMs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ErrorCode { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ErrorMessage { get; init; }

    /// <summary>The summary bucket: verdict (label name for labels) or the error code.</summary>
    [JsonIgnore] public string Outcome => ErrorCode ?? (Verdict == "label" ? Label! : Verdict!);

    public static ClassificationRow From(string path, CascadeResult result) => new()
    {
        Path = path,
        Verdict = result.Verdict switch
        {
            Inference.Decisions.Verdict.NoObject => "no_object",
            Inference.Decisions.Verdict.Label => "label",
            _ => "unknown",
        },
        Label = result.Label,
        GateScore = result.Gate.Decision.Score,
        GateThreshold = result.Gate.Decision.Threshold,
        Scores = result.Classifier?.Decision.Scores.ToDictionary(s => s.Label, s => s.Score),
        GateMs = Math.Round(result.Gate.Timing.TotalMs, 2),
        ClassifierMs = result.Classifier is null ? null : Math.Round(result.Classifier.Timing.TotalMs, 2),
        TotalMs = Math.Round(result.TotalMs, 2),
    };

    public static ClassificationRow From(string path, ImageException error) => new() { Path = path, ErrorCode = error.ErrorCode, ErrorMessage = error.Message };
}
