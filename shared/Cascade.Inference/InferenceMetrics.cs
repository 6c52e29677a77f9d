using System.Diagnostics.Metrics;

namespace Cascade.Inference;

/// <summary>Instruments of the inference core, meter <c>Cascade.Inference</c>; tags carry the model name.</summary>
public static class InferenceMetrics
{
    public const string MeterName = "Cascade.Inference";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("cascade.batch.size", "{image}", "Images per model call");
    public static readonly Histogram<double> BatchWait = Meter.CreateHistogram<double>("cascade.batch.wait", "ms", "Time an image waited in the batcher queue");
    public static readonly Histogram<double> ModelDuration = Meter.CreateHistogram<double>("cascade.model.duration", "ms", "Duration of one model call (whole batch)");
    public static readonly Histogram<double> PreprocessDuration = Meter.CreateHistogram<double>("cascade.preprocess.duration", "ms", "Decode, resize and tensor write of one image");
    public static readonly Counter<long> Overloaded = Meter.CreateCounter<long>("cascade.batch.overloaded", "{request}", "Requests refused because a model queue was full");
    public static readonly Counter<long> ImageErrors = Meter.CreateCounter<long>("cascade.image.errors", "{image}", "Images refused, by error code");
}
