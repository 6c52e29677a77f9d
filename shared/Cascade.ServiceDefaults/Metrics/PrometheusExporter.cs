using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Cascade.ServiceDefaults.Metrics;

/// <summary>
/// Serves System.Diagnostics.Metrics instruments in the Prometheus text exposition format 0.0.4. The exporter
/// packages (OpenTelemetry.Exporter.Prometheus.AspNetCore, prometheus-net) are not on the registry here, and the
/// format is small: counters become <c>_total</c> counters, up-down counters gauges, histograms cumulative
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c> series with fixed bounds.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    /// <summary>Bucket bounds for every histogram; chosen for millisecond latencies and batch sizes alike.</summary>
    public static readonly double[] Bounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();

    public PrometheusExporter(Func<Meter, bool> include)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (include(instrument.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The exposition text of everything recorded so far (observable instruments are read now).</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(p => p.Key.Meter.Name, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            var (name, type) = NameAndType(instrument);
            if (!string.IsNullOrEmpty(instrument.Description)) text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in series.OrderBy(p => p.Key, StringComparer.Ordinal))
                value.Write(text, name, labels);
        }
        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>());
        var labels = Labels(tags);
        series.GetOrAdd(labels, _ => instrument switch
        {
            Histogram<double> or Histogram<float> or Histogram<long> or Histogram<int> => new HistogramSeries(),
            ObservableGauge<double> or ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<float> => new LastValueSeries(),
            ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int> or ObservableUpDownCounter<long> or ObservableUpDownCounter<double> or ObservableUpDownCounter<int> => new LastValueSeries(),
            _ => new SumSeries(),
        }).Add(value);
    }

    internal static (string Name, string Type) NameAndType(Instrument instrument)
    {
        var name = SanitizeName(instrument.Name);
        var unit = instrument.Unit switch
        {
            "ms" => "_milliseconds",
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal)) name += unit;
        return instrument switch
        {
            Counter<long> or Counter<double> or Counter<int> or Counter<float> or ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int> => (name + "_total", "counter"),
            Histogram<double> or Histogram<float> or Histogram<long> or Histogram<int> => (name, "histogram"),
            _ => (name, "gauge"),
        };
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
            pairs.Add($"{SanitizeName(tag.Key).Replace(':', '_')}=\"{EscapeLabel(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")}\"");
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    public static string SanitizeName(string name)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        if (text.Length == 0 || char.IsAsciiDigit(text[0])) text.Insert(0, '_');
        return text.ToString();
    }

    internal static string EscapeLabel(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");

    internal static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();

    private abstract class Series
    {
        public abstract void Add(double value);
        public abstract void Write(StringBuilder text, string name, string labels);

        protected static void Line(StringBuilder text, string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? "" : $"{{{labels}}}").Append(' ').Append(Number(value)).Append('\n');
    }

    private sealed class SumSeries : Series
    {
        private double _sum;
        private readonly Lock _gate = new();

        public override void Add(double value)
        {
            lock (_gate) _sum += value;
        }

        public override void Write(StringBuilder text, string name, string labels)
        {
            lock (_gate) Line(text, name, labels, _sum);
        }
    }

    private sealed class LastValueSeries : Series
    {
        private double _value;

        public override void Add(double value) => Volatile.Write(ref _value, value);
        public override void Write(StringBuilder text, string name, string labels) => Line(text, name, labels, Volatile.Read(ref _value));
    }

    private sealed class HistogramSeries : Series
    {
        private readonly long[] _counts = new long[Bounds.Length + 1];
        private double _sum;
        private long _count;
        private readonly Lock _gate = new();

        public override void Add(double value)
        {
            var bucket = Array.FindIndex(Bounds, b => value <= b);
            lock (_gate)
            {
                _counts[bucket < 0 ? Bounds.Length : bucket]++;
                _sum += value;
                _count++;
            }
        }

        public override void Write(StringBuilder text, string name, string labels)
        {
            lock (_gate)
            {
                long cumulative = 0;
                for (var i = 0; i <= Bounds.Length; i++)
                {
                    cumulative += _counts[i];
                    var le = i < Bounds.Length ? Number(Bounds[i]) : "+Inf";
                    Line(text, name + "_bucket", labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"", cumulative);
                }
                Line(text, name + "_sum", labels, _sum);
                Line(text, name + "_count", labels, _count);
            }
        }
    }
}
