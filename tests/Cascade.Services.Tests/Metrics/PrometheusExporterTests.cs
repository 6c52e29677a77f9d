using System.Diagnostics.Metrics;
using Cascade.ServiceDefaults.Metrics;

namespace Cascade.Services.Tests.Metrics;

public class PrometheusExporterTests
{
    [Fact]
    public void Renders_counters_gauges_and_histograms_in_text_format_0_0_4()
    {
        var meterName = $"Cascade.Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusExporter(m => m.Name == meterName);
        var images = meter.CreateCounter<long>("cascade.test.images", "{image}", "Images seen");
        var inFlight = meter.CreateUpDownCounter<long>("cascade.test.in_flight");
        var latency = meter.CreateHistogram<double>("cascade.test.latency", "ms", "Latency\nper image");

        images.Add(2, new KeyValuePair<string, object?>("code", "IMAGE_\"BAD\"\\x"));
        images.Add(3, new KeyValuePair<string, object?>("code", "IMAGE_\"BAD\"\\x"));
        images.Add(1);
        inFlight.Add(5);
        inFlight.Add(-2);
        latency.Record(0.5);
        latency.Record(7);
        latency.Record(9000);

        exporter.Render().Should().Be(
            "# HELP cascade_test_images_total Images seen\n" +
            "# TYPE cascade_test_images_total counter\n" +
            "cascade_test_images_total 1\n" +
            "cascade_test_images_total{code=\"IMAGE_\\\"BAD\\\"\\\\x\"} 5\n" +
            "# TYPE cascade_test_in_flight gauge\n" +
            "cascade_test_in_flight 3\n" +
            "# HELP cascade_test_latency_milliseconds Latency\\nper image\n" +
            "# TYPE cascade_test_latency_milliseconds histogram\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"1\"} 1\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"2\"} 1\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"5\"} 1\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"10\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"20\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"50\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"100\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"200\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"500\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"1000\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"2000\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"5000\"} 2\n" +
            "cascade_test_latency_milliseconds_bucket{le=\"+Inf\"} 3\n" +
            "cascade_test_latency_milliseconds_sum 9007.5\n" +
            "cascade_test_latency_milliseconds_count 3\n");
    }

    [Theory]
    [InlineData("cascade.batch.size", "cascade_batch_size")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a-b c", "a_b_c")]
    public void Names_are_sanitised(string name, string expected) => PrometheusExporter.SanitizeName(name).Should().Be(expected);
}
