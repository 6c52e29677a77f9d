namespace Cascade.Training.ZeroShot;

/// <summary>
/// The names of a backbone's output classes, one class a line in output order: ImageNet's synset file
/// (<c>n02123045 tabby, tabby cat</c>: an optional WordNet id, then comma-separated synonyms) or plain names.
/// </summary>
public sealed class ClassNames
{
    /// <summary>Where a backbone's class names are looked for when no file is named: next to its ONNX file.</summary>
    public const string DefaultFileName = "imagenet_synset.txt";

    private readonly IReadOnlyList<string[]> _synonyms;

    private ClassNames(string path, IReadOnlyList<string[]> synonyms)
    {
        Path = path;
        _synonyms = synonyms;
    }

    public string Path { get; }
    public int Count => _synonyms.Count;

    public static ClassNames Read(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"Class names file {path} does not exist.");
        var synonyms = File.ReadLines(path).Where(line => line.Trim().Length > 0).Select(Synonyms).ToList();
        return new ClassNames(path, synonyms);
    }

    /// <summary>The classes one of whose synonyms is <paramref name="name"/> (case-insensitive): ImageNet has two "crane"s, so several can match.</summary>
    public IReadOnlyList<int> Find(string name) =>
        Enumerable.Range(0, _synonyms.Count).Where(i => _synonyms[i].Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();

    private static string[] Synonyms(string line)
    {
        var text = line.Trim();
        var space = text.IndexOf(' ');
        // A WordNet id is n + 8 digits.
        if (space == 9 && text[0] == 'n' && text[1..9].All(char.IsAsciiDigit)) text = text[(space + 1)..];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
