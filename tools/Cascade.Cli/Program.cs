using System.CommandLine;
using Cascade.Cli.Commands;

var root = new RootCommand("Cascade: two-stage image classification (gate, then fine-grained classifier).")
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
return await root.Parse(args).InvokeAsync();
