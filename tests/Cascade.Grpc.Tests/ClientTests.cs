using Cascade.Grpc.Protocol;
using Cascade.Protos.V1;
using Google.Protobuf;

namespace Cascade.Grpc.Tests;

/// <summary>Our client against our server: results, statuses, deadlines and streams.</summary>
[Collection(GrpcHostCollection.Name)]
public class ClientTests(GrpcHostFixture host)
{
    private static ClassifyRequest Photo(string folder, string? requestId = null) =>
        new() { Image = ByteString.CopyFrom(File.ReadAllBytes(SharedAssets.Photos(folder)[0])), ClientRequestId = requestId ?? "" };

    [Fact]
    public async Task Classify_returns_the_aggregated_result()
    {
        var result = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Classify", Photo("bears/black"), Result.Parser, TimeSpan.FromSeconds(60));
        result.State.Should().Be(State.Completed);
        result.Verdict.Should().Be(Verdict.Label);
        result.Label.Should().Be("black");
        result.Gate.Accepted.Should().BeTrue();
        result.Gate.Model.Name.Should().Be("gate-mobilenetv2-int8");
        result.Classifier.Scores.Should().HaveCount(3);
        result.Classifier.Model.Name.Should().Be("classifier-mobilenetv2-fp32");
        result.TotalMs.Should().BePositive();
    }

    [Fact]
    public async Task Non_bear_is_rejected_with_no_object()
    {
        var result = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Classify", Photo("negatives"), Result.Parser, TimeSpan.FromSeconds(60));
        result.State.Should().Be(State.Rejected);
        result.Verdict.Should().Be(Verdict.NoObject);
        result.Classifier.Should().BeNull();
    }

    [Fact]
    public async Task Empty_image_is_invalid_argument_naming_the_code()
    {
        var call = () => host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Classify", new ClassifyRequest(), Result.Parser);
        (await call.Should().ThrowAsync<GrpcException>()).Which.Status.Should().Be(GrpcStatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Too_short_deadline_is_deadline_exceeded()
    {
        var call = () => host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Classify", Photo("bears/teddy"), Result.Parser, TimeSpan.FromMilliseconds(1));
        (await call.Should().ThrowAsync<GrpcException>()).Which.Status.Should().Be(GrpcStatusCode.DeadlineExceeded);
    }

    [Fact]
    public async Task Submit_then_get_result_and_watch()
    {
        var submitted = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Submit", Photo("bears/grizzly", $"client-{Guid.NewGuid()}"), SubmitResponse.Parser);
        var watched = new List<Result>();
        await foreach (var result in host.Client.ServerStreamingAsync("/cascade.v1.OrchestratorService/WatchResults",
            new WatchResultsRequest { SubmissionIds = { submitted.SubmissionId } }, Result.Parser, TimeSpan.FromSeconds(60)))
            watched.Add(result);
        watched.Should().ContainSingle().Which.SubmissionId.Should().Be(submitted.SubmissionId);

        var stored = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/GetResult", new GetResultRequest { SubmissionId = submitted.SubmissionId }, Result.Parser);
        stored.State.Should().Be(watched[0].State);
    }

    [Fact]
    public async Task Same_client_request_id_is_the_same_submission()
    {
        var id = $"dup-{Guid.NewGuid()}";
        var first = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Submit", Photo("bears/teddy", id), SubmitResponse.Parser);
        var second = await host.Client.UnaryAsync("/cascade.v1.OrchestratorService/Submit", Photo("bears/teddy", id), SubmitResponse.Parser);
        second.SubmissionId.Should().Be(first.SubmissionId);
    }

    [Fact]
    public async Task Stages_answer_directly()
    {
        var image = Photo("bears/black").Image;
        var gate = await host.Client.UnaryAsync("/cascade.v1.GateService/Evaluate", new EvaluateRequest { Image = image }, GateResult.Parser);
        gate.Accepted.Should().BeTrue();
        var classifier = await host.Client.UnaryAsync("/cascade.v1.ClassifierService/Classify", new ClassifyImageRequest { Image = image }, ClassifierResult.Parser);
        classifier.Label.Should().Be("black");
        var corrupt = () => host.Client.UnaryAsync("/cascade.v1.GateService/Evaluate", new EvaluateRequest { Image = ByteString.CopyFromUtf8("GIF89a broken") }, GateResult.Parser);
        (await corrupt.Should().ThrowAsync<GrpcException>()).Which.Message.Should().StartWith("IMAGE_");
    }
}
