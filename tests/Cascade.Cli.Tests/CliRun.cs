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

    /// <summary>The run failed with <paramref name="exitCode"/> and exactly one <c>error:</c> line: no stack trace, no help text.</summary>
    public void ShouldBeOneErrorLine(int exitCode, string contains)
    {
        ExitCode.Should().Be(exitCode, Error);
        Error.TrimEnd().Should().StartWith("error: ").And.Contain(contains).And.NotContain("\n").And.NotContain("   at ").And.NotContain("Usage:");
    }
}
