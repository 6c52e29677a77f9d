using System.CommandLine;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Training.Derivations;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Cascade.Cli.Commands;

/// <summary>`cascade models list | pull | verify`: the packs in the catalog and in the model directory.</summary>
internal static class ModelsCommand
{
    public const string DownloadMirrorVariable = "CASCADE_MODEL_DOWNLOAD_MIRROR";

    private static string SourceOf(ModelManifest manifest) => manifest.Model switch
    {
        null => $"head on {manifest.Backbone!.Pack}: no model of its own",
        { Url: { } url } => url,
        { DerivedFrom: { } derived } => $"{derived.Recipe} of {derived.Url}",
        var model => $"mirror: {model.MirrorFileName}",
    };

    public static Command Create()
    {
        var modelDirectory = new Option<string>("--model-dir")
        {
            Description = $"Model directory (default {ModelDirectoryLocation.Order})",
            DefaultValueFactory = _ => InferenceOptions.DefaultModelDirectory(),
        };
        var catalog = new Option<string>("--catalog") { Description = "Folder of pack manifests to install", DefaultValueFactory = _ => PackPuller.DefaultCatalog };
        var from = new Option<string?>("--from") { Description = "Import model files from this local folder instead of downloading" };
        var downloadMirror = new Option<string?>("--download-mirror")
        {
            Description = $"Fetch https://host/path as URL/host/path (an artifact proxy; default ${DownloadMirrorVariable}); sha256 checks are unchanged",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DownloadMirrorVariable) is { Length: > 0 } value ? value : null,
        };
        var names = new Argument<string[]>("packs") { Description = "Packs to pull, with the backbone pack a head names (default: all in the catalog)", Arity = ArgumentArity.ZeroOrMore };

        var list = new Command("list", "List catalog packs and what is installed") { modelDirectory, catalog };
        list.SetAction(result =>
        {
            var dir = result.GetValue(modelDirectory)!;
            // Which folder, and why that one: an installed cascade runs from anywhere, so "not installed" needs its where.
            var reason = result.GetResult(modelDirectory) is { Implicit: false } ? "--model-dir" : ModelDirectoryLocation.Default().Reason;
            AnsiConsole.WriteLine($"Model directory: {Path.GetFullPath(dir)} ({reason})");
            var table = new Table().AddColumns("pack", "version", "roles", "installed", "source");
            foreach (var (name, manifest) in PackPuller.ReadCatalog(result.GetValue(catalog)!))
            {
                var packDir = Path.Combine(dir, name);
                var installed = File.Exists(Path.Combine(packDir, manifest.Model is null ? ModelManifest.FileName : ModelManifest.ModelFileName)) ? "yes" : "no";
                var roles = string.Join("+", new[] { manifest.Gate is null ? null : "gate", manifest.Classifier is null ? null : "classifier", manifest.Tensors is null ? null : "backbone" }.OfType<string>());
                table.AddRow(name, manifest.Version, roles, installed, Markup.Escape(SourceOf(manifest)));
            }
            AnsiConsole.Write(table);
            return 0;
        });

        var pull = new Command("pull", "Install packs: fetch each model from its URL (or --from DIR) and verify its sha256") { modelDirectory, catalog, from, downloadMirror, names };
        pull.SetAction(async (result, cancellationToken) =>
        {
            var mirror = result.GetValue(from);
            // Usage errors are thrown: CommandErrors makes each one `error:` line and exit code 2.
            if (mirror is not null && !Directory.Exists(mirror)) throw new ArgumentException($"--from: folder {mirror} does not exist.");
            var downloadMirrorUrl = result.GetValue(downloadMirror);
            if (downloadMirrorUrl is not null && !ModelManifest.IsDownloadUrl(downloadMirrorUrl))
                throw new ArgumentException($"--download-mirror / ${DownloadMirrorVariable}: '{downloadMirrorUrl}' is not an absolute http(s) URL.");
            var error = result.InvocationConfiguration.Error;
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var options = new PackPullOptions
            {
                Derivations = ModelDerivations.All,
                DownloadMirror = downloadMirrorUrl is null ? null : new Uri(downloadMirrorUrl),
            };
            var puller = new PackPuller(result.GetValue(modelDirectory)!, http, loggers.CreateLogger<PackPuller>(), options);
            var wanted = result.GetValue(names) ?? [];
            var catalogPacks = PackPuller.ReadCatalog(result.GetValue(catalog)!);
            var unknown = wanted.Except(catalogPacks.Select(p => p.Name)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"Not in the catalog: {string.Join(", ", unknown)}.");
            var failures = 0;
            foreach (var (name, manifest) in PackPuller.Selection(catalogPacks, wanted))
            {
                try
                {
                    var outcome = await puller.PullAsync(name, manifest, mirror, cancellationToken);
                    Console.WriteLine($"{name}: {outcome switch
                    {
                        PullOutcome.ManifestOnly => $"installed (a head on {manifest.Backbone!.Pack}, which holds the model)",
                        PullOutcome.AlreadyPresent => "already installed (sha256 ok)",
                        PullOutcome.Imported => "imported (sha256 ok)",
                        PullOutcome.Derived => $"derived by {manifest.Model!.DerivedFrom!.Recipe} (sha256 ok)",
                        _ => "downloaded (sha256 ok)",
                    }}");
                }
                catch (Exception e) when (e is ModelPackException or HttpRequestException or IOException)
                {
                    failures++;
                    await error.WriteLineAsync($"{name}: {e.Message}");
                }
            }
            return failures == 0 ? 0 : 1;
        });

        var verify = new Command("verify", "Check every installed pack's model against its manifest sha256") { modelDirectory };
        verify.SetAction(result =>
        {
            var dir = result.GetValue(modelDirectory)!;
            if (!Directory.Exists(dir))
            {
                Console.Error.WriteLine($"Model directory {dir} does not exist; run `cascade models pull`.");
                return 1;
            }
            var failures = 0;
            foreach (var packDir in Directory.GetDirectories(dir).Where(d => File.Exists(Path.Combine(d, ModelManifest.FileName))).Order())
            {
                string? problem;
                try
                {
                    problem = PackPuller.Verify(packDir);
                }
                catch (ModelPackException e)
                {
                    problem = e.Message;
                }
                Console.WriteLine($"{Path.GetFileName(packDir)}: {problem ?? "ok"}");
                if (problem is not null) failures++;
            }
            return failures == 0 ? 0 : 1;
        });

        return new Command("models", "Manage model packs") { list, pull, verify };
    }
}
