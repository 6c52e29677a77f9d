using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Cascade.Protos.V1;

namespace Cascade.Protos;

/// <summary>
/// The one JSON form of a result, for every front door (CLI <c>--json</c>, <c>cascade watch</c>, REST, the AMQP results):
/// the proto3 JSON mapping of <c>cascade.v1.Result</c>. camelCase field names, the proto's enum names
/// (<c>"state":"COMPLETED"</c>, <c>"verdict":"NO_OBJECT"</c>), timestamps in RFC 3339, and, as proto3 JSON does, fields at
/// their default (empty string, 0, false, unset message) left out. Float scores are written as the shortest text
/// that reads back as the same float32 (0.1, not 0.10000000149011612), durations to 0.01 ms.
/// </summary>
public static class ResultJson
{
    public const string ContentType = "application/json";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <summary>Compact (one line, no spaces): JsonFormatter's own spacing rewritten, numbers kept as it wrote them.</summary>
    public static string Format(Result result)
    {
        using var document = JsonDocument.Parse(Formatter.Format(result));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Several results as one JSON array.</summary>
    public static string Format(IEnumerable<Result> results) => $"[{string.Join(",", results.Select(Format))}]";

    public static Result Parse(string json) => JsonParser.Default.Parse<Result>(json);

    /// <summary>
    /// A duration as results carry it: to 0.01 ms. Stage timings are differences and sums of doubles, which print as
    /// 33.107299999999995 unrounded; every front door builds its <see cref="Result"/> through this.
    /// </summary>
    public static double Milliseconds(double milliseconds) => Math.Round(milliseconds, 2);
}
