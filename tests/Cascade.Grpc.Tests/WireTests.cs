using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Cascade.Grpc.Protocol;
using Cascade.Protos.V1;
using Google.Protobuf;

namespace Cascade.Grpc.Tests;

/// <summary>The protocol on the wire, with raw HTTP/2 requests: framing, trailers, Trailers-Only errors, limits.</summary>
[Collection(GrpcHostCollection.Name)]
public class WireTests(GrpcHostFixture host)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, Action<HttpRequestMessage>? configure = null, string contentType = "application/grpc")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        configure?.Invoke(request);
        var response = await Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync(); // trailers arrive after the body
        return response;
    }

    private static string? Header(HttpResponseMessage response, string name, bool trailer = false) =>
        (trailer ? response.TrailingHeaders : (HttpHeaders)response.Headers).TryGetValues(name, out var values) ? values.First() : null;

    private static byte[] Frame(IMessage message) => GrpcFrames.ToArray(message);

    private static readonly byte[] GetUnknown = Frame(new GetResultRequest { SubmissionId = Guid.Empty.ToString() });

    [Fact]
    public async Task Success_has_one_length_prefixed_message_then_status_in_trailers()
    {
        var response = await PostAsync("/grpc.health.v1.Health/Check", Frame(new global::Grpc.Health.V1.HealthCheckRequest()));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/grpc");
        var body = await response.Content.ReadAsByteArrayAsync();
        body[0].Should().Be(0, "not compressed");
        BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)).Should().Be((uint)(body.Length - 5));
        global::Grpc.Health.V1.HealthCheckResponse.Parser.ParseFrom(body.AsSpan(5)).Status.Should().Be(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving);
        Header(response, "grpc-status", trailer: true).Should().Be("0");
    }

    [Fact]
    public async Task Error_before_any_message_is_trailers_only()
    {
        var response = await PostAsync("/cascade.v1.OrchestratorService/GetResult", GetUnknown);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(response, "grpc-status").Should().Be(((int)GrpcStatusCode.NotFound).ToString());
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_method_and_service_are_unimplemented()
    {
        Header(await PostAsync("/cascade.v1.OrchestratorService/Nope", GetUnknown), "grpc-status").Should().Be("12");
        Header(await PostAsync("/no.such.Service/Check", GetUnknown), "grpc-status").Should().Be("12");
    }

    [Fact]
    public async Task Message_encoding_other_than_identity_is_unimplemented_with_accept_encoding()
    {
        var response = await PostAsync("/cascade.v1.OrchestratorService/GetResult", GetUnknown, r => r.Headers.TryAddWithoutValidation("grpc-encoding", "gzip"));
        Header(response, "grpc-status").Should().Be("12");
        Header(response, "grpc-accept-encoding").Should().Be("identity");
    }

    [Fact]
    public async Task Compressed_flag_is_unimplemented()
    {
        var frame = (byte[])GetUnknown.Clone();
        frame[0] = 1;
        Header(await PostAsync("/cascade.v1.OrchestratorService/GetResult", frame), "grpc-status").Should().Be("12");
    }

    [Fact]
    public async Task Message_over_the_limit_is_resource_exhausted()
    {
        var big = Frame(new ClassifyRequest { Image = ByteString.CopyFrom(new byte[GrpcHostFixture.MaxReceiveMessageSize + 1]) });
        var response = await PostAsync("/cascade.v1.OrchestratorService/Classify", big);
        Header(response, "grpc-status").Should().Be(((int)GrpcStatusCode.ResourceExhausted).ToString());
        Header(response, "grpc-message").Should().Contain("larger than the limit");
    }

    [Fact]
    public async Task Malformed_frames_are_internal_and_the_connection_keeps_working()
    {
        Header(await PostAsync("/cascade.v1.OrchestratorService/GetResult", GetUnknown[..7]), "grpc-status").Should().Be("13", "truncated frame");
        Header(await PostAsync("/cascade.v1.OrchestratorService/GetResult", [.. GetUnknown, .. GetUnknown]), "grpc-status").Should().Be("13", "two messages in a unary call");
        Header(await PostAsync("/cascade.v1.OrchestratorService/GetResult", [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF]), "grpc-status").Should().Be("13", "bytes that are not protobuf");
        Header(await PostAsync("/cascade.v1.OrchestratorService/GetResult", []), "grpc-status").Should().Be("13", "no message");
        // Same HttpClient, same HTTP/2 connection: still serving.
        Header(await PostAsync("/grpc.health.v1.Health/Check", Frame(new global::Grpc.Health.V1.HealthCheckRequest())), "grpc-status", trailer: true).Should().Be("0");
    }

    [Fact]
    public async Task Non_grpc_content_type_is_refused_with_415()
    {
        var response = await PostAsync("/grpc.health.v1.Health/Check", Frame(new global::Grpc.Health.V1.HealthCheckRequest()), contentType: "application/json");
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Status_message_is_percent_encoded()
    {
        var response = await PostAsync("/cascade.v1.OrchestratorService/GetResult", Frame(new GetResultRequest { SubmissionId = "ours/ünïcode%" }));
        Header(response, "grpc-status").Should().Be("3");
        var raw = Header(response, "grpc-message")!;
        raw.Should().Contain("%C3%BC").And.Contain("%25").And.NotContain("ü");
        GrpcStatusMessage.Decode(raw).Should().Contain("ours/ünïcode%");
    }

    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("99999999n", 999_999L)]
    public void Grpc_timeout_parses_every_unit(string text, long ticks)
    {
        GrpcTimeout.TryParse(text, out var timeout).Should().BeTrue();
        timeout.Ticks.Should().Be(ticks);
        GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var roundTrip).Should().BeTrue();
        roundTrip.Should().BeGreaterThanOrEqualTo(timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("123456789S")]
    [InlineData("5s")]
    [InlineData("-5S")]
    public void Malformed_grpc_timeout_is_rejected(string text) => GrpcTimeout.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public async Task Malformed_grpc_timeout_header_is_internal()
    {
        var response = await PostAsync("/grpc.health.v1.Health/Check", Frame(new global::Grpc.Health.V1.HealthCheckRequest()), r => r.Headers.TryAddWithoutValidation("grpc-timeout", "soon"));
        Header(response, "grpc-status").Should().Be("13");
    }
}
