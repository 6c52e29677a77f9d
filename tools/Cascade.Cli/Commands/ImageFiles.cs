using System.CommandLine;

namespace Cascade.Cli.Commands;

/// <summary>Command-line image paths: the argument that takes them, and their expansion into files.</summary>
internal static class ImageFiles
{
    /// <summary>
    /// A one-or-more paths argument. A token that starts with '-' and is no file is a mistyped option, not a missing
    /// image: System.CommandLine hands such tokens to the argument, so say so here.
    /// </summary>
    public static Argument<string[]> PathsArgument(string description)
    {
        var paths = new Argument<string[]>("paths") { Description = description, Arity = ArgumentArity.OneOrMore };
        paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                    result.AddError($"Unknown option '{token.Value}'.");
        });
        return paths;
    }

    /// <summary>Files as given, folders recursively (skipping hidden files and .txt/.md/.csv notes), in a stable order.</summary>
    public static IReadOnlyList<ImageFile> Expand(IEnumerable<string> paths)
    {
        var files = new List<ImageFile>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(new ImageFile(path, path));
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".txt") && !f.EndsWith(".md") && !f.EndsWith(".csv"))
                    .Order(StringComparer.Ordinal)
                    .Select(f => new ImageFile(f, Path.GetRelativePath(path, f))));
            else throw new FileNotFoundException($"No such file or folder: {path}");
        }
        if (files.Count == 0)
            throw new FileNotFoundException($"No images in {string.Join(", ", paths)} (hidden files and .txt, .md, .csv are skipped).");
        return files;
    }
}
