using Cascade.Protos.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Cascade.Grpc.Tests;

/// <summary>The cascade.v1 services through Grpc.Net.Client stubs: results, statuses with ErrorInfo, deadlines, streams.</summary>
[Collection(GrpcHostCollection.Name)]
public class OrchestratorApiTests(GrpcHostFixture host)
{
    private static ClassifyRequest Photo(string folder, string? requestId = null) =>
        new() { Image = ByteString.CopyFrom(File.ReadAllBytes(SharedAssets.Photos(folder)[0])), ClientRequestId = requestId ?? "" };

    private static DateTime In(int seconds) => DateTime.UtcNow.AddSeconds(seconds);

    /// <summary>The stable code a client reads: the ErrorInfo in the status details, not the message.</summary>
    private static ErrorInfo ErrorInfoOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new InvalidOperationException($"{e.StatusCode} has no ErrorInfo detail: {e.Status.Detail}");

    [Fact]
    public async Task Classify_returns_the_aggregated_result()
    {
        var result = await host.Orchestrator.ClassifyAsync(Photo("bears/black"), deadline: In(60));
        result.State.Should().Be(State.Completed);
        result.Verdict.Should().Be(Verdict.Label);
        result.Label.Should().Be("black");
        result.Gate.Accepted.Should().BeTrue();
        result.Gate.Model.Name.Should().Be("gate-mobilenetv2-int8");
        result.Classifier.Scores.Should().HaveCount(3);
        result.Classifier.Model.Name.Should().Be("classifier-mobilenetv2-int8-head");
        result.TotalMs.Should().BePositive();
    }

    [Fact]
    public async Task Non_bear_is_rejected_with_no_object()
    {
        var result = await host.Orchestrator.ClassifyAsync(Photo("negatives"), deadline: In(60));
        result.State.Should().Be(State.Rejected);
        result.Verdict.Should().Be(Verdict.NoObject);
        result.Classifier.Should().BeNull();
    }

    [Fact]
    public async Task Empty_image_is_invalid_argument_with_the_code_in_error_info()
    {
        var call = async () => await host.Orchestrator.ClassifyAsync(new ClassifyRequest(), deadline: In(10));
        var error = (await call.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        var info = ErrorInfoOf(error);
        info.Reason.Should().Be("IMAGE_EMPTY");
        info.Domain.Should().Be("cascade.v1");
        error.Status.Detail.Should().NotStartWith("IMAGE_", "the code travels in ErrorInfo; the message is for people");
    }

    [Fact]
    public async Task Corrupt_image_through_the_cascade_is_invalid_argument_image_corrupt()
    {
        var call = async () => await host.Orchestrator.ClassifyAsync(new ClassifyRequest { Image = ByteString.CopyFrom([0xFF, 0xD8, 0xFF, 0xE0, .. " not a jpeg"u8]) }, deadline: In(30));
        var error = (await call.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        ErrorInfoOf(error).Reason.Should().Be("IMAGE_CORRUPT");
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_not_found_and_invalid_argument()
    {
        var unknown = async () => await host.Orchestrator.GetResultAsync(new GetResultRequest { SubmissionId = Guid.NewGuid().ToString() }, deadline: In(10));
        var notFound = (await unknown.Should().ThrowAsync<RpcException>()).Which;
        notFound.StatusCode.Should().Be(StatusCode.NotFound);
        ErrorInfoOf(notFound).Reason.Should().Be("NOT_FOUND");

        var malformed = async () => await host.Orchestrator.GetResultAsync(new GetResultRequest { SubmissionId = "ours/ünïcode%" }, deadline: In(10));
        var invalid = (await malformed.Should().ThrowAsync<RpcException>()).Which;
        invalid.StatusCode.Should().Be(StatusCode.InvalidArgument);
        ErrorInfoOf(invalid).Reason.Should().Be("INVALID_ARGUMENT");
        invalid.Status.Detail.Should().Contain("ours/ünïcode%", "the message survives the trip readable");
    }

    [Fact]
    public async Task Too_short_deadline_is_deadline_exceeded()
    {
        var call = async () => await host.Orchestrator.ClassifyAsync(Photo("bears/teddy"), deadline: DateTime.UtcNow.AddMilliseconds(1));
        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
    }

    [Fact]
    public async Task Message_over_the_server_limit_is_resource_exhausted()
    {
        var big = new ClassifyRequest { Image = ByteString.CopyFrom(new byte[GrpcHostFixture.MaxReceiveMessageSize + 1]) };
        var call = async () => await host.Orchestrator.ClassifyAsync(big, deadline: In(30));
        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Submit_then_get_result_and_watch()
    {
        var submitted = await host.Orchestrator.SubmitAsync(Photo("bears/grizzly", $"client-{Guid.NewGuid()}"), deadline: In(10));
        using var watch = host.Orchestrator.WatchResults(new WatchResultsRequest { SubmissionIds = { submitted.SubmissionId } }, deadline: In(60));
        var watched = new List<Result>();
        await foreach (var result in watch.ResponseStream.ReadAllAsync()) watched.Add(result);
        watched.Should().ContainSingle().Which.SubmissionId.Should().Be(submitted.SubmissionId);

        var stored = await host.Orchestrator.GetResultAsync(new GetResultRequest { SubmissionId = submitted.SubmissionId }, deadline: In(10));
        stored.State.Should().Be(watched[0].State);
    }

    [Fact]
    public async Task Same_client_request_id_is_the_same_submission()
    {
        var id = $"dup-{Guid.NewGuid()}";
        var first = await host.Orchestrator.SubmitAsync(Photo("bears/teddy", id), deadline: In(10));
        var second = await host.Orchestrator.SubmitAsync(Photo("bears/teddy", id), deadline: In(10));
        second.SubmissionId.Should().Be(first.SubmissionId);
    }

    [Fact]
    public async Task Stages_answer_directly_and_refuse_bad_images_with_the_code()
    {
        var image = Photo("bears/black").Image;
        (await host.Gate.EvaluateAsync(new EvaluateRequest { Image = image }, deadline: In(30))).Accepted.Should().BeTrue();
        (await host.Classifier.ClassifyAsync(new ClassifyImageRequest { Image = image }, deadline: In(30))).Label.Should().Be("black");

        var corrupt = async () => await host.Gate.EvaluateAsync(new EvaluateRequest { Image = ByteString.CopyFromUtf8("GIF89a broken") }, deadline: In(30));
        var error = (await corrupt.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        ErrorInfoOf(error).Reason.Should().StartWith("IMAGE_");
    }
}
