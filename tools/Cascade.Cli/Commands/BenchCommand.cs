using System.CommandLine;

namespace Cascade.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks (see docs/benchmarks.md)");
}
