using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cascade.Protos;
using Cascade.Protos.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Cascade.Cli.Tests;

/// <summary>
/// One result schema: the same image through REST, gRPC (its JSON mapping), `cascade classify --server --json`,
/// in-process `cascade classify --json` and `cascade watch` gives the same JSON, apart from what is per submission
/// (ids, times, timings). The AMQP results are the same <see cref="ResultJson"/> text (ResultJsonMessage, tested with RabbitMQ).
/// </summary>
[Collection("cli")]
public class ResultSchemaTests
{
    private static readonly string[] PerSubmission = ["submissionId", "clientRequestId", "traceId", "submitTime", "completeTime", "totalMs", "path"];

    [Fact]
    public async Task Every_front_door_writes_the_same_result_json()
    {
        var photo = SharedAssets.Photos("bears/grizzly")[0];
        await using var host = await LiveCascadeHost.StartAsync();

        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        var image = new ByteArrayContent(File.ReadAllBytes(photo));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await http.PostAsync("/api/v1/classify", new MultipartFormDataContent { { image, "image", "grizzly.jpg" } });
        var rest = await response.Content.ReadAsStringAsync();

        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new OrchestratorService.OrchestratorServiceClient(channel);
        var grpc = new JsonFormatter(JsonFormatter.Settings.Default).Format(
            await client.ClassifyAsync(new ClassifyRequest { Image = ByteString.CopyFrom(File.ReadAllBytes(photo)) }));

        var viaServer = await StdoutOfAsync("classify", "--json", "--server", host.GrpcAddress.ToString(), photo);
        var inProcess = await StdoutOfAsync("classify", "--json", "--model-dir", SharedAssets.ModelDirectory, photo);

        var expected = Comparable(grpc);
        expected.Should().Contain("\"state\":\"COMPLETED\"").And.Contain("\"verdict\":\"LABEL\"").And.Contain("\"label\":\"grizzly\"")
            .And.Contain("\"threshold\":0.1,").And.NotContain("0000000");
        foreach (var (door, json) in new[] { ("gRPC", grpc), ("REST", rest), ("classify --server --json", viaServer), ("classify --json", inProcess) })
            ShouldHaveDurationsToHundredths(json, door);
        Comparable(rest).Should().Be(expected, "REST");
        Comparable(viaServer).Should().Be(expected, "cascade classify --server --json");
        Comparable(inProcess).Should().Be(expected, "cascade classify --json (in process)");
        JsonNode.Parse(viaServer)!["path"]!.GetValue<string>().Should().Be(photo);

        // watch: the result of a submission, as it completes.
        var id = (await client.SubmitAsync(new ClassifyRequest { Image = ByteString.CopyFrom(File.ReadAllBytes(photo)) })).SubmissionId;
        var watched = await StdoutOfAsync("watch", "--server", host.GrpcAddress.ToString(), id);
        Comparable(watched).Should().Be(expected, "cascade watch");
        ShouldHaveDurationsToHundredths(watched, "cascade watch");
    }

    /// <summary>Every duration (totalMs, each stage's *Ms) to 0.01 ms: sums of doubles must not print as 33.107299999999995.</summary>
    private static void ShouldHaveDurationsToHundredths(string json, string door)
    {
        var durations = Regex.Matches(json, "\"(\\w+Ms)\":\\s*([^,}\\s]+)").Select(m => (Name: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        durations.Should().Contain(d => d.Name == "stageMs", $"{door} reports stage timings");
        durations.Should().OnlyContain(d => Regex.IsMatch(d.Text, @"^\d+(\.\d{1,2})?$"), $"{door} writes durations to 0.01 ms: {json}");
    }

    /// <summary>The JSON without what differs between two submissions of one image, compact, keys in their order.</summary>
    private static string Comparable(string json)
    {
        var node = JsonNode.Parse(json.Trim().Split('\n')[0])!.AsObject();
        foreach (var key in PerSubmission) node.Remove(key);
        node["gate"]?.AsObject().Remove("timing");
        node["classifier"]?.AsObject().Remove("timing");
        return node.ToJsonString();
    }

    /// <summary>What a command wrote to stdout; watch ends at its first line.</summary>
    private static async Task<string> StdoutOfAsync(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var run = CliRun.InvokeAsync(args);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!run.IsCompleted && !output.ToString().Contains('\n') && DateTime.UtcNow < deadline) await Task.Delay(50);
            if (run.IsCompleted) (await run).ExitCode.Should().Be(0, (await run).Error);
            return output.ToString();
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
