namespace Cascade.Cli.Commands;

/// <summary>Expands command-line paths: files as given, folders recursively, in a stable order.</summary>
internal static class ImageFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".txt") && !f.EndsWith(".md") && !f.EndsWith(".csv"))
                    .Order(StringComparer.Ordinal));
            else throw new FileNotFoundException($"No such file or folder: {path}");
        }
        return files;
    }
}
