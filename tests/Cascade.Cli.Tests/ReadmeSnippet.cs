namespace Cascade.Cli.Tests;

/// <summary>
/// A fenced code block of README.md that a test runs as written: the block right after a
/// <c>&lt;!-- readme-test: NAME --&gt;</c> line, so the README cannot drift from what works.
/// </summary>
public static class ReadmeSnippet
{
    public static string Read(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(SharedAssets.RepoRoot, "README.md"));
        var marker = Array.IndexOf(lines, $"<!-- readme-test: {name} -->");
        if (marker < 0 || marker + 1 >= lines.Length || !lines[marker + 1].StartsWith("```", StringComparison.Ordinal))
            throw new InvalidOperationException($"README.md has no fenced block right after <!-- readme-test: {name} -->.");
        var end = Array.FindIndex(lines, marker + 2, line => line.StartsWith("```", StringComparison.Ordinal));
        if (end < 0) throw new InvalidOperationException($"README.md's block {name} is not closed.");
        return string.Join('\n', lines[(marker + 2)..end]) + "\n";
    }
}
