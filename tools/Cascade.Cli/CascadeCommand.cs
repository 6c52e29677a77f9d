using System.CommandLine;
using Cascade.Cli.Commands;

namespace Cascade.Cli;

/// <summary>The <c>cascade</c> command and its sub-commands.</summary>
public static class CascadeCommand
{
    public static RootCommand Create() => new("Cascade: two-stage image classification (gate, then fine-grained classifier).")
    {
        ClassifyCommand.Create(),
        ModelsCommand.Create(),
        BenchCommand.Create(),
        ServeCommand.Create(),
        SubmitCommand.Submit(),
        SubmitCommand.Watch(),
        TrainCommand.Create(),
        EvalCommand.Create(),
    };
}
