using Cascade.Cli;

namespace Cascade.Cli.Tests;

/// <summary>One in-process <c>cascade</c> invocation: exit code and what it wrote to stderr.</summary>
public sealed record CliRun(int ExitCode, string Error)
{
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandErrors.InvokeAsync(CascadeCommand.Create(), args, error);
        return new CliRun(code, error.ToString());
    }
}
