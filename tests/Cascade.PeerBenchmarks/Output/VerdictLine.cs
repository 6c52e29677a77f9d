using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cascade.PeerBenchmarks.Output;

/// <summary>
/// What a peer prints per image, one JSON object a line: <c>{"file":..,"verdict":"LABEL","label":"teddy","gate":0.97}</c>.
/// Verdicts are spelled as in <c>cascade classify --json</c> (LABEL, UNKNOWN, NO_OBJECT; FAILED with an error).
/// </summary>
public sealed record VerdictLine(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("label")] string? Label = null,
    [property: JsonPropertyName("gate")] float? Gate = null,
    [property: JsonPropertyName("error")] string? Error = null)
{
    public const string LabelVerdict = "LABEL";
    public const string UnknownVerdict = "UNKNOWN";
    public const string NoObjectVerdict = "NO_OBJECT";
    public const string FailedVerdict = "FAILED";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Reading: a line without file or verdict is an error, not a null further on.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static VerdictLine Labelled(string file, float gate, string label) => new(file, LabelVerdict, label, gate);
    public static VerdictLine Unknown(string file, float gate) => new(file, UnknownVerdict, null, gate);
    public static VerdictLine NoObject(string file, float gate) => new(file, NoObjectVerdict, null, gate);
    public static VerdictLine Failed(string file, string error) => new(file, FailedVerdict, null, null, error);

    /// <summary>The summary bucket, as cascade's: the label for LABEL, else the verdict.</summary>
    [JsonIgnore] public string Outcome => Label ?? Verdict;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <exception cref="JsonException">The line lacks file or verdict, or is no object.</exception>
    public static VerdictLine FromJson(JsonElement line) => line.Deserialize<VerdictLine>(JsonOptions) ?? throw new JsonException("null instead of a verdict line");
}
