using System.CommandLine;
using Cascade.Imaging;
using Cascade.Inference.Packs;

namespace Cascade.Cli;

/// <summary>
/// Runs a command and turns errors in what the user gave it (arguments, files, packs, images) into one line on stderr
/// and exit code 2, instead of an "Unhandled exception" stack trace; anything else is a bug and keeps its trace.
/// </summary>
public static class CommandErrors
{
    public const int UserError = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error });
        }
        catch (Exception e) when (IsUserError(e))
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return UserError;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ModelPackException or ImageException;
}
