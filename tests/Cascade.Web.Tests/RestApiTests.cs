using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cascade.Web.Tests;

/// <summary>The documented REST API the page uses, over real HTTP.</summary>
[Collection(WebHostCollection.Name)]
public class RestApiTests(WebHostFixture host)
{
    private static MultipartFormDataContent Form(string path, string field = "image")
    {
        var image = new ByteArrayContent(File.ReadAllBytes(path));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { image, field, Path.GetFileName(path) } };
    }

    [Fact]
    public async Task Classify_a_bear_then_read_it_back_by_id_and_in_the_recent_list()
    {
        using var response = await host.Http.PostAsync("/api/v1/classify", Form(SharedAssets.Photos("bears/black")[0]));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("state").GetString().Should().Be("COMPLETED");
        result.GetProperty("verdict").GetString().Should().Be("LABEL");
        result.GetProperty("label").GetString().Should().Be("black");
        var id = result.GetProperty("submissionId").GetString();

        var stored = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/results/{id}");
        stored.GetProperty("label").GetString().Should().Be("black");
        var recent = await host.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/results?recent=50");
        recent!.Select(r => r.GetProperty("submissionId").GetString()).Should().Contain(id);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("code").GetString().Should().Be(code);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        return problem;
    }

    [Fact]
    public async Task A_corrupt_image_is_a_400_problem_with_its_code_as_in_grpc()
    {
        using var temp = new TempDirectory();
        var corrupt = Path.Combine(temp.Path, "corrupt.jpg");
        File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8]);

        using var response = await host.Http.PostAsync("/api/v1/classify", Form(corrupt));

        await ProblemAsync(response, HttpStatusCode.BadRequest, "IMAGE_CORRUPT");
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_problem_and_a_malformed_one_a_400()
    {
        using var unknown = await host.Http.GetAsync($"/api/v1/results/{Guid.NewGuid()}");
        await ProblemAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");

        using var malformed = await host.Http.GetAsync("/api/v1/results/not-an-id");
        (await ProblemAsync(malformed, HttpStatusCode.BadRequest, "INVALID_ARGUMENT")).GetProperty("detail").GetString().Should().Contain("not-an-id");
    }

    [Fact]
    public async Task An_upload_over_the_request_limit_is_a_413_problem()
    {
        var tooLarge = new ByteArrayContent(new byte[35 * 1024 * 1024]);
        tooLarge.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");

        // Expect: 100-continue, as curl sends for large bodies: the server answers before the body is sent, so the client
        // reads the 413 instead of a connection closed mid-upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/classify") { Content = new MultipartFormDataContent { { tooLarge, "image", "huge.jpg" } } };
        request.Headers.ExpectContinue = true;
        using var response = await host.Http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "IMAGE_TOO_LARGE");
    }

    [Fact]
    public async Task Missing_image_field_is_a_400_naming_the_field()
    {
        using var response = await host.Http.PostAsync("/api/v1/classify", Form(SharedAssets.Photos("negatives")[0], field: "photo"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT")).GetProperty("detail").GetString().Should().Contain("'image'");
    }

    [Fact]
    public async Task Recent_list_refuses_a_bad_count() =>
        (await host.Http.GetAsync("/api/v1/results?recent=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Page_and_metrics_are_served()
    {
        (await host.Http.GetStringAsync("/")).Should().Contain("<title>Cascade");
        (await host.Http.GetStringAsync("/app.js")).Should().Contain("/api/v1/classify");
        using var _ = await host.Http.PostAsync("/api/v1/classify", Form(SharedAssets.Photos("negatives")[1]));
        var metrics = await host.Http.GetStringAsync("/metrics");
        metrics.Should().Contain("# TYPE cascade_submissions_finished_total counter")
            .And.Contain("cascade_batch_size_bucket")
            .And.MatchRegex("cascade_gate_decisions_total{[^}]*decision=\"refused\"", "the exporter adds labels of its own, such as otel_scope_name");
    }
}
