using Cascade.Protos;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.RabbitMq;

[Collection(RabbitStackCollection.Name)]
public sealed class CascadeOverRabbitMqTests(RabbitStack stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Bear_photo_completes_with_the_right_label()
    {
        var result = await stack.Submissions.ClassifyAsync(TestImages.Grizzly());

        result.Status.Should().Be(SubmissionStatus.Completed);
        result.Verdict.Should().Be(Verdict.Label);
        result.Label.Should().Be("grizzly");
        result.Gate!.Score.Should().BeGreaterThanOrEqualTo(result.Gate.Threshold);
        result.Gate.Model.Name.Should().Be("gate-mobilenetv2-int8");
        result.Classifier!.Model.Name.Should().Be("classifier-mobilenetv2-int8-head");
        result.Classifier.Scores.Select(s => s.Label).Should().BeEquivalentTo("teddy", "grizzly", "black");
        result.TotalMs.Should().BePositive();
        result.TraceId.Should().HaveLength(32);
    }

    [Fact]
    public async Task Photo_without_a_bear_is_rejected_by_the_gate()
    {
        var result = await stack.Submissions.ClassifyAsync(TestImages.Negative());

        result.Status.Should().Be(SubmissionStatus.Rejected);
        result.Verdict.Should().Be(Verdict.NoObject);
        result.Gate!.Score.Should().BeLessThan(result.Gate.Threshold);
        result.Classifier.Should().BeNull();
    }

    [Fact]
    public async Task Corrupt_bytes_fail_quickly_with_the_image_error_code()
    {
        var watch = Stopwatch.StartNew();
        var result = await stack.Submissions.ClassifyAsync(TestImages.Corrupt());

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.ErrorCode.Should().Be("IMAGE_CORRUPT");
        result.ErrorMessage.Should().NotBeNullOrEmpty();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "image errors are not retried");
    }

    [Fact]
    public async Task Same_client_request_id_twice_is_one_submission()
    {
        var clientRequestId = $"dup-{Guid.NewGuid():N}";
        using var listening = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var finished = CountFinishedAsync(stack.Submissions, clientRequestId, listening.Token);

        var ids = await Task.WhenAll(
            stack.Submissions.SubmitAsync(TestImages.Teddy(), clientRequestId),
            stack.Submissions.SubmitAsync(TestImages.Teddy(), clientRequestId));
        var result = await stack.Submissions.WaitForResultAsync(ids[0]).WaitAsync(TimeSpan.FromSeconds(30));
        var again = await stack.Submissions.SubmitAsync(TestImages.Teddy(), clientRequestId);
        await Task.Delay(1000);
        await listening.CancelAsync();

        ids[1].Should().Be(ids[0]);
        again.Should().Be(ids[0]);
        result.Status.Should().Be(SubmissionStatus.Completed);
        (await finished).Should().Be(1);
    }

    [Fact]
    public async Task Two_classifier_instances_share_the_work()
    {
        var before = (stack.ClassifierACounter.Consumed<ClassifyImage>(), stack.ClassifierBCounter.Consumed<ClassifyImage>());
        var bears = Enumerable.Range(0, 24).Select(i => TestImages.Grizzly(i % 8)).ToArray();

        var results = await Task.WhenAll(bears.Select(b => stack.Submissions.ClassifyAsync(b)));

        results.Should().OnlyContain(r => r.Status == SubmissionStatus.Completed);
        (stack.ClassifierACounter.Consumed<ClassifyImage>() - before.Item1).Should().BePositive();
        (stack.ClassifierBCounter.Consumed<ClassifyImage>() - before.Item2).Should().BePositive();
    }

    [Fact]
    public async Task The_classifier_runs_only_its_head_on_the_gates_forwarded_outputs_and_the_claim_check_is_deleted()
    {
        var photo = TestImages.Teddy(3);

        var result = await stack.Submissions.ClassifyAsync(photo);

        result.Status.Should().Be(SubmissionStatus.Completed);
        var command = stack.ClassifierACounter.Messages<ClassifyImage>().Concat(stack.ClassifierBCounter.Messages<ClassifyImage>())
            .Single(m => m.SubmissionId == result.SubmissionId);
        command.Backbone.Should().NotBeNull("the default classifier is a head on the gate's model");
        command.Backbone!.Values.Should().HaveCount(1000 * sizeof(float));
        Math.Max(stack.ClassifierACounter.LargestBody<ClassifyImage>(), stack.ClassifierBCounter.LargestBody<ClassifyImage>())
            .Should().BeInRange(1000 * sizeof(float), 16 * 1024, "the logits travel, not the image");
        result.Classifier!.Timings.BatchSize.Should().Be(0, "the classifier ran no backbone");
        result.Classifier.Timings.PreprocessMs.Should().Be(0, "nor decoded anything");
        command.Pixels.Should().BeNull("the gate's decode travels only when Gate:ForwardPixels is on, for a classifier on another backbone");
        // The image itself goes once its submission has ended (the result's outbox entry deletes it, just after the result is sent).
        var image = Path.Combine([stack.MessageDataPath, .. command.Image.Address.Segments[0].Split(':').Skip(1)]);
        for (var wait = 0; wait < 100 && File.Exists(image); wait++) await Task.Delay(50);
        File.Exists(image).Should().BeFalse("a claim check is deleted when its submission ends");
    }

    [Fact]
    public async Task A_40_MB_image_travels_by_claim_check()
    {
        var image = TestImages.LargePng(40L * 1024 * 1024);

        var result = await stack.Submissions.ClassifyAsync(image, timeoutSeconds: 60);

        result.Status.Should().BeOneOf(SubmissionStatus.Completed, SubmissionStatus.Rejected);
        stack.GateCounter.LargestBody<GateImage>().Should().BeLessThan(16 * 1024, "only the claim check travels in the message");
        var address = stack.GateCounter.Messages<GateImage>().Single(m => m.SubmissionId == result.SubmissionId).Image.Address;
        address.Scheme.Should().Be("urn", "the image was stored in the shared folder and only its address sent");
    }

    [Fact]
    public async Task Rest_api_classifies_and_serves_results_by_id()
    {
        var client = stack.Orchestrator.Client;

        using var classify = await client.PostAsync("/api/v1/classify", Form(TestImages.Grizzly(1), "rest-" + Guid.NewGuid()));
        classify.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = ResultJson.Parse(await classify.Content.ReadAsStringAsync());
        result.State.Should().Be(Cascade.Protos.V1.State.Completed);

        using var lookup = await client.GetAsync($"/api/v1/results/{result.SubmissionId}");
        lookup.StatusCode.Should().Be(HttpStatusCode.OK);
        ResultJson.Parse(await lookup.Content.ReadAsStringAsync()).Label.Should().Be(result.Label);

        using var accepted = await client.PostAsync("/api/v1/submissions", Form(TestImages.Negative(1), null));
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var pending = ResultJson.Parse(await accepted.Content.ReadAsStringAsync());
        accepted.Headers.Location!.ToString().Should().Be($"/api/v1/results/{pending.SubmissionId}");
        (await stack.Submissions.WaitForResultAsync(Guid.Parse(pending.SubmissionId)).WaitAsync(TimeSpan.FromSeconds(30))).Status.Should().Be(SubmissionStatus.Rejected);

        using var unknown = await client.GetAsync($"/api/v1/results/{Guid.NewGuid()}");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var noImage = await client.PostAsync("/api/v1/classify", new MultipartFormDataContent { { new StringContent("x"), "clientRequestId" } });
        noImage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Plain_amqp_client_submits_raw_json_and_reads_the_json_result()
    {
        var imageFile = Path.Combine(Path.GetTempPath(), $"cascade-amqp-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(imageFile, TestImages.Grizzly(2));
        var clientRequestId = $"pika-{Guid.NewGuid():N}";
        try
        {
            var output = await RunPythonAsync("amqp_client.py", stack.VirtualHost.Broker.Host, stack.VirtualHost.Broker.Port.ToString(), stack.VirtualHost.Name, imageFile, clientRequestId, $"pika-replies-{Guid.NewGuid():N}");

            using var json = JsonDocument.Parse(output);
            foreach (var name in new[] { "reply", "broadcast" })
            {
                var result = json.RootElement.GetProperty(name);
                result.GetProperty("clientRequestId").GetString().Should().Be(clientRequestId);
                result.GetProperty("state").GetString().Should().Be("COMPLETED");
                result.GetProperty("label").GetString().Should().Be("grizzly");
                result.GetProperty("gate").GetProperty("score").GetDouble().Should().BePositive();
            }
        }
        finally
        {
            File.Delete(imageFile);
        }
    }

    [Fact]
    public async Task Every_amqp_message_gets_an_answer_on_its_reply_queue()
    {
        var (imageFile, otherFile) = (Path.GetTempFileName(), Path.GetTempFileName());
        await File.WriteAllBytesAsync(imageFile, TestImages.Grizzly(4));
        await File.WriteAllBytesAsync(otherFile, TestImages.Teddy(4));
        try
        {
            var output = await RunPythonAsync("amqp_refusals.py", stack.VirtualHost.Broker.Host, stack.VirtualHost.Broker.Port.ToString(), stack.VirtualHost.Name,
                imageFile, otherFile, $"refusals-{Guid.NewGuid():N}");

            using var json = JsonDocument.Parse(output);
            var answers = json.RootElement.GetProperty("answers");
            string State(string name) => answers.GetProperty(name).GetProperty("state").GetString()!;
            string Code(string name) => answers.GetProperty(name).GetProperty("errorCode").GetString()!;
            foreach (var malformed in new[] { "not-json", "numeric-id", "bad-base64" })
            {
                answers.GetProperty(malformed).ValueKind.Should().Be(JsonValueKind.Object, $"the {malformed} message is answered");
                (State(malformed), Code(malformed)).Should().Be(("FAILED", "INVALID_MESSAGE"), malformed);
            }
            State("original").Should().Be("COMPLETED");
            State("resubmitted").Should().Be("COMPLETED", "a known client request id gets its existing result on the new reply queue");
            answers.GetProperty("resubmitted").GetProperty("submissionId").GetString().Should().Be(answers.GetProperty("original").GetProperty("submissionId").GetString());
            (State("conflict"), Code("conflict")).Should().Be(("FAILED", "IDEMPOTENCY_CONFLICT"));
            json.RootElement.GetProperty("errorQueue").GetInt32().Should().Be(0, "messages answered to their sender do not pile up in the error queue");
        }
        finally
        {
            File.Delete(imageFile);
            File.Delete(otherFile);
        }
    }

    private static MultipartFormDataContent Form(byte[] image, string? clientRequestId)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(image), "image", "photo.jpg" } };
        if (clientRequestId is not null) form.Add(new StringContent(clientRequestId), "clientRequestId");
        return form;
    }

    private static async Task<int> CountFinishedAsync(SubmissionService submissions, string clientRequestId, CancellationToken cancellationToken)
    {
        var count = 0;
        try
        {
            await foreach (var result in submissions.StreamResultsAsync(cancellationToken))
                if (result.ClientRequestId == clientRequestId) count++;
        }
        catch (OperationCanceledException)
        {
        }
        return count;
    }

    private static async Task<string> RunPythonAsync(string script, params string[] args)
    {
        // Debian's python3 has python3-pika; a pyenv python first on PATH may not.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.ExitCode.Should().Be(0, await stderr);
        return await stdout;
    }
}
