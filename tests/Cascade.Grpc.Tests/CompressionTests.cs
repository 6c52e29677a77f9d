using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Health.V1;

namespace Cascade.Grpc.Tests;

/// <summary>gzip on the wire, seen with raw HTTP/2 requests: the stubs would hide whether the server compressed.</summary>
[Collection(GrpcHostCollection.Name)]
public class CompressionTests(GrpcHostFixture host)
{
    [Fact]
    public async Task Gzip_request_is_accepted_and_the_response_is_gzip_when_the_client_accepts_it()
    {
        using var http = new HttpClient();
        var content = new ByteArrayContent(Frame(new HealthCheckRequest(), compressed: true));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Host.GrpcAddress, "/grpc.health.v1.Health/Check"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "gzip");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.TrailingHeaders.GetValues("grpc-status").Should().Equal("0");
        response.Headers.GetValues("grpc-encoding").Should().Equal("gzip");
        body[0].Should().Be(1, "the response message is flagged compressed");
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        using var gzip = new GZipStream(new MemoryStream(body, 5, length), CompressionMode.Decompress);
        HealthCheckResponse.Parser.ParseFrom(gzip).Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    /// <summary>One length-prefixed gRPC message: flag byte, big-endian length, payload (gzip when compressed).</summary>
    private static byte[] Frame(IMessage message, bool compressed)
    {
        var payload = message.ToByteArray();
        if (compressed)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(payload);
            payload = buffer.ToArray();
        }
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
