using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;
using LogLevelFlags = NetVips.Enums.LogLevelFlags;

namespace Cascade.Imaging;

/// <summary>
/// libvips' own messages (GLib log domain "VIPS", such as <c>VIPS-WARNING **: error in tile 0 x 72</c> for a truncated
/// JPEG) go to the host's logging under category <see cref="Category"/>, not to the process's raw stderr, where they
/// broke piped CLI output and bypassed the services' log format. Until a host calls <see cref="RouteTo"/> they are dropped.
/// </summary>
public static class VipsLog
{
    public const string Category = "libvips";
    private const string Domain = "VIPS";
    private const LogLevelFlags AllLevels = LogLevelFlags.Error | LogLevelFlags.Critical | LogLevelFlags.Warning | LogLevelFlags.Message | LogLevelFlags.Info | LogLevelFlags.Debug;

    private static volatile ILogger _logger = NullLogger.Instance;

    /// <summary>
    /// Sends libvips' messages to <paramref name="loggers"/> from now on (the last host to call wins: one per process).
    /// libvips itself starts later, at the first decode, so a command that decodes nothing never needs it.
    /// </summary>
    public static void RouteTo(ILoggerFactory loggers) => _logger = loggers.CreateLogger(Category);

    /// <summary>Called once by <see cref="VipsRuntime"/>: replaces GLib's default handler (stderr) for libvips' domain.</summary>
    internal static void Install() => Log.SetLogHandler(Domain, AllLevels, Forward);

    /// <summary>
    /// A libvips warning comes with a decode whose outcome the caller already gets (an image error code, or pixels that
    /// were good enough), so it is detail for whoever reads the logs: Information, which the CLI shows with --verbose.
    /// Its info and debug messages ("threadpool completed with 1 workers") are Debug.
    /// </summary>
    private static LogLevel LevelOf(LogLevelFlags level) =>
        (level & (LogLevelFlags.Error | LogLevelFlags.Critical)) != 0 ? LogLevel.Error
        : (level & (LogLevelFlags.Warning | LogLevelFlags.Message)) != 0 ? LogLevel.Information
        : LogLevel.Debug;

    // Runs on libvips' threads: it must never throw back into native code.
    private static void Forward(string domain, LogLevelFlags level, string message)
    {
        try
        {
            _logger.Log(LevelOf(level), "{Domain}: {Message}", domain, message);
        }
        catch (Exception)
        {
            // A logging provider that fails has nowhere to report to; losing one libvips message is the lesser harm.
        }
    }
}
