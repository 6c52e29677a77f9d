using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cascade.Web.Tests;

/// <summary>
/// A gate whose pack cannot load: REST classify is a 503 problem with Retry-After and the code MODEL_NOT_LOADED,
/// whose detail says which pack and how to install it (it was a 200 with state FAILED and STAGE_FAULT).
/// </summary>
public sealed class ModelNotLoadedTests
{
    [Fact]
    public async Task Classify_with_a_gate_pack_that_cannot_load_is_a_503_problem_with_retry_after()
    {
        await using var host = await LiveCascadeHost.StartUnreadyAsync(configure: null, "--Gate:Pack=no-such-pack");
        using var http = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        var photo = await File.ReadAllBytesAsync(SharedAssets.Photos("bears/grizzly")[0]);

        using var response = await http.PostAsync("/api/v1/classify", new MultipartFormDataContent { { new ByteArrayContent(photo), "image", "grizzly.jpg" } });

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("MODEL_NOT_LOADED");
        problem.GetProperty("detail").GetString().Should().Contain("Pack 'no-such-pack' is not in the model directory").And.Contain("cascade models pull");
    }
}
