using System.Globalization;
using System.Net;

namespace Cascade.Deployment.Tests;

/// <summary>
/// One scrape of <c>/metrics</c>, over real HTTP and with Prometheus's own <c>Accept</c> header, from the all-in-one
/// stack after it has classified a bear, refused a non-bear and failed a corrupt image, so that every Cascade
/// instrument a dashboard could chart has recorded something.
/// It must be the only host this test assembly starts: MassTransit creates its meter once per process, from the
/// first host's meter factory, which disposes it with that host. A service is one host per process, so only
/// tests see this.
/// </summary>
public sealed class ScrapedMetrics : IAsyncLifetime
{
    /// <summary>
    /// What Prometheus 3 asks for by default (its <c>scrape_protocols</c>): OpenMetrics first, which adds
    /// <c>_created</c> series to the classic text format but keeps every sample name.
    /// </summary>
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5," +
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    /// <summary>The exposition text as served.</summary>
    public string Text { get; private set; } = "";

    /// <summary>Names of the samples in the scrape (a histogram appears as its <c>_bucket</c>, <c>_sum</c> and <c>_count</c>).</summary>
    public HashSet<string> SampleNames { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        await using var host = await LiveCascadeHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        byte[] corrupt = [0xFF, 0xD8, 0xFF, 0xE0, .. "not a JPEG"u8.ToArray()];
        foreach (var (image, expected) in new[] { (Photo("bears/grizzly"), HttpStatusCode.OK), (Photo("negatives"), HttpStatusCode.OK), (corrupt, HttpStatusCode.BadRequest) })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(image), "image", "photo.jpg" } };
            using var response = await http.PostAsync("/api/v1/classify", form);
            response.StatusCode.Should().Be(expected, "the corrupt image is refused (and counted as an image error), the photos classified");
        }
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
        using var scraped = await http.SendAsync(scrape);
        scraped.EnsureSuccessStatusCode();
        Text = await scraped.Content.ReadAsStringAsync();
        foreach (var line in Samples())
            SampleNames.Add(line[..line.IndexOfAny(['{', ' '])]);
    }

    private static byte[] Photo(string folder) => File.ReadAllBytes(SharedAssets.Photos(folder)[0]);

    /// <summary>The <c>le</c> bounds of a histogram's buckets in ascending order, without <c>+Inf</c>.</summary>
    public IReadOnlyList<double> BucketBounds(string histogram) =>
        Samples()
            .Where(line => line.StartsWith(histogram + "_bucket{", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..])
            .Select(rest => rest[..rest.IndexOf('"')])
            .Where(le => le != "+Inf")
            .Select(le => double.Parse(le, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToList();

    private IEnumerable<string> Samples() =>
        Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#'));

    public Task DisposeAsync() => Task.CompletedTask;
}
