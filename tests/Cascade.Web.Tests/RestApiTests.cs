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
        result.GetProperty("status").GetString().Should().Be("Completed");
        result.GetProperty("label").GetString().Should().Be("black");
        var id = result.GetProperty("submissionId").GetString();

        var stored = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/results/{id}");
        stored.GetProperty("label").GetString().Should().Be("black");
        var recent = await host.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/results?recent=50");
        recent!.Select(r => r.GetProperty("submissionId").GetString()).Should().Contain(id);
    }

    [Fact]
    public async Task Missing_image_field_is_a_400_naming_the_field()
    {
        using var response = await host.Http.PostAsync("/api/v1/classify", Form(SharedAssets.Photos("negatives")[0], field: "photo"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'image'");
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
