using System.CommandLine;
using Cascade.Cli.Commands;
using Cascade.Imaging;
using Cascade.Inference.Packs;
using Grpc.Core;

namespace Cascade.Cli;

/// <summary>
/// Runs a command so that every failure is one <c>error: ...</c> line on stderr, never a stack trace or the whole help:
/// exit code 2 for what the user gave (arguments, options, files, packs, images), 1 for a command that could not do its
/// work (<see cref="CommandFailedException"/>, a server that answered with an error, a missing native library, a bug).
/// </summary>
public static class CommandErrors
{
    public const int UsageError = 2;
    public const int RuntimeError = 1;

    /// <summary>Set to 1 to get the stack trace of an unexpected exception as well.</summary>
    public const string DebugVariable = "CASCADE_DEBUG";

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            // Parsing runs the options' default factories, which read the environment (the model directory) and can throw.
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // System.CommandLine would print each error on its own line and then the whole help: one line naming the
                // problems and where the help is says more.
                var problems = string.Join(" ", parsed.Errors.Select(e => e.Message).Distinct());
                await error.WriteLineAsync($"error: {problems} (see `{CommandPath(parsed.CommandResult.Command)} --help`)");
                return UsageError;
            }
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error });
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            await error.WriteLineAsync($"error: {message}");
            if (code == RuntimeError && Environment.GetEnvironmentVariable(DebugVariable) == "1") await error.WriteLineAsync(e.ToString());
            return code;
        }
    }

    private static (int Code, string Message) Describe(Exception e) => e switch
    {
        ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ModelPackException or ImageException => (UsageError, e.Message),
        CommandFailedException => (RuntimeError, e.Message),
        RpcException rpc => (RuntimeError, $"the server answered {CascadeServer.ErrorCodeOf(rpc)}: {rpc.Status.Detail}"),
        DllNotFoundException => (RuntimeError, NativeLibraryMissing(e)),
        TypeInitializationException { InnerException: DllNotFoundException missing } => (RuntimeError, NativeLibraryMissing(missing)),
        _ => (RuntimeError, $"unexpected {e.GetType().Name}: {e.Message} (set {DebugVariable}=1 for the stack trace)"),
    };

    private static string NativeLibraryMissing(Exception e) =>
        $"a native library could not be loaded ({e.Message.Split('\n')[0].Trim()}). ONNX Runtime and libvips come with their NuGet packages " +
        "(Microsoft.ML.OnnxRuntime, NetVips.Native.linux-x64): run cascade from its build or install output, not a copy of cascade.dll alone, on linux-x64.";

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var symbol = (Symbol?)command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
            names.Insert(0, c is RootCommand ? "cascade" : c.Name);
        return string.Join(' ', names);
    }
}
