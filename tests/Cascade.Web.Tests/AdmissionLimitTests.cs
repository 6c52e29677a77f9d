using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cascade.Web.Tests;

/// <summary>
/// The front door's in-flight limit over REST: what it refuses is a 429 problem with Retry-After and the code
/// OVERLOADED, the rest is accepted as usual.
/// </summary>
public sealed class AdmissionLimitTests
{
    [Fact]
    public async Task Submissions_beyond_the_in_flight_limit_are_429_problems_with_retry_after()
    {
        await using var host = await LiveCascadeHost.StartAsync("--Orchestrator:MaxInFlight=1");
        using var http = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        var photo = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(SharedAssets.Data, "bears", "grizzly"), "*.jpg").Order().First());

        // Ten at once: one fits under the limit, and at most a couple more if earlier ones finish meanwhile.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(photo), "image", "grizzly.jpg" } };
            return http.PostAsync("/api/v1/submissions", form);
        }));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted || s == HttpStatusCode.TooManyRequests);
        responses.Should().Contain(r => r.StatusCode == HttpStatusCode.Accepted);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        refused.Should().HaveCountGreaterThanOrEqualTo(5, "ten submissions at once against a limit of one");
        foreach (var response in refused)
        {
            response.Headers.RetryAfter.Should().NotBeNull();
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("code").GetString().Should().Be("OVERLOADED");
            problem.GetProperty("detail").GetString().Should().Contain("Orchestrator:MaxInFlight");
        }
    }
}
