using System.Globalization;

namespace Cascade.Grpc.Protocol;

/// <summary>The <c>grpc-timeout</c> header: 1 to 8 ASCII digits and a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    public const string Header = "grpc-timeout";

    public static bool TryParse(string? text, out TimeSpan timeout)
    {
        timeout = default;
        if (text is null || text.Length is < 2 or > 9) return false;
        var digits = text.AsSpan(0, text.Length - 1);
        foreach (var c in digits)
            if (c is < '0' or > '9') return false;
        var value = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        double? ticks = text[^1] switch
        {
            'H' => value * (double)TimeSpan.TicksPerHour,
            'M' => value * (double)TimeSpan.TicksPerMinute,
            'S' => value * (double)TimeSpan.TicksPerSecond,
            'm' => value * (double)TimeSpan.TicksPerMillisecond,
            'u' => value * 10.0,
            'n' => value / 100.0,
            _ => null,
        };
        if (ticks is null) return false;
        timeout = TimeSpan.FromTicks((long)Math.Min(ticks.Value, TimeSpan.MaxValue.Ticks));
        return true;
    }

    /// <summary>The shortest exact-enough form with at most 8 digits (rounded up so a deadline is never shortened).</summary>
    public static string Format(TimeSpan timeout)
    {
        var nanos = Math.Max(0, timeout.Ticks) * 100;
        (long Divisor, char Unit)[] units = [(1, 'n'), (1_000, 'u'), (1_000_000, 'm'), (1_000_000_000, 'S'), (60_000_000_000, 'M'), (3_600_000_000_000, 'H')];
        foreach (var (divisor, unit) in units)
        {
            var value = (nanos + divisor - 1) / divisor;
            if (value < 100_000_000) return value.ToString(CultureInfo.InvariantCulture) + unit;
        }
        return "99999999H";
    }
}
