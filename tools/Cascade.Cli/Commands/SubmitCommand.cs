using System.CommandLine;
using Cascade.Protos;

namespace Cascade.Cli.Commands;

/// <summary>`cascade submit` and `cascade watch`: asynchronous submissions through the gRPC API.</summary>
internal static class SubmitCommand
{
    private static Option<Uri?> ServerOption() => ServerAddressOption.Create("Cascade gRPC address", new Uri("http://127.0.0.1:5001"));

    public static Command Submit()
    {
        var server = ServerOption();
        var paths = ImageFiles.PathsArgument("Image files or folders");
        var requestId = new Option<string?>("--client-request-id") { Description = "Idempotency key (single image only)" };
        var command = new Command("submit", "Submit images and print their submission ids (results via `cascade watch`)") { paths, server, requestId };
        command.SetAction(async (result, cancellationToken) =>
        {
            var files = ImageFiles.Expand(result.GetValue(paths)!);
            if (result.GetValue(requestId) is not null && files.Count != 1)
                throw new ArgumentException("--client-request-id names one submission: give exactly one image.");
            using var cascade = new CascadeServer(result.GetValue(server)!);
            foreach (var file in files)
                Console.WriteLine($"{await cascade.SubmitAsync(await File.ReadAllBytesAsync(file.Path, cancellationToken), result.GetValue(requestId), cancellationToken)}\t{file.Path}");
            return 0;
        });
        return command;
    }

    public static Command Watch()
    {
        var server = ServerOption();
        var ids = new Argument<string[]>("ids") { Description = "Submission ids (none: every submission)", Arity = ArgumentArity.ZeroOrMore };
        ids.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => !Guid.TryParse(t.Value, out _)))
                r.AddError($"'{token.Value}' is not a submission id: give the ids `cascade submit` printed (like 3f2b8c1e-5d4a-4e7b-9c61-0a1b2c3d4e5f).");
        });
        var command = new Command("watch", "Print results as JSON lines as they complete") { ids, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var cascade = new CascadeServer(result.GetValue(server)!);
            await foreach (var finished in cascade.WatchAsync(result.GetValue(ids) ?? [], cancellationToken))
                Console.WriteLine(ResultJson.Format(finished));
            return 0;
        });
        return command;
    }
}
