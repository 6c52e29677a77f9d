using System.Text.Json;
using System.Text.Json.Serialization;
using Cascade.Protos;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Outbox;

/// <summary>
/// A result as it goes to plain AMQP clients (the <c>cascade.results</c> exchange, reply queues): the body is exactly
/// <see cref="ResultJson"/>, the one result schema the CLI, REST and gRPC's JSON mapping use, not the contract record.
/// </summary>
[JsonConverter(typeof(ResultJsonMessageConverter))]
public sealed record ResultJsonMessage(V1.Result Result);

/// <summary>Writes (and reads) a <see cref="ResultJsonMessage"/> as the proto3 JSON of its result.</summary>
public sealed class ResultJsonMessageConverter : JsonConverter<ResultJsonMessage>
{
    public override ResultJsonMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new ResultJsonMessage(ResultJson.Parse(document.RootElement.GetRawText()));
    }

    public override void Write(Utf8JsonWriter writer, ResultJsonMessage value, JsonSerializerOptions options) =>
        writer.WriteRawValue(ResultJson.Format(value.Result), skipInputValidation: true);
}
