namespace Cascade.Training.ZeroShot;

/// <summary>
/// Reads the zero-shot feature groups a user gives on the command line (see <see cref="Onnx.HeadFeatures"/>): each value
/// is one group of the backbone's classes, comma-separated class indices (<c>294</c>), index ranges (<c>151-268</c>) or
/// class names (<c>tabby</c>, looked up in <see cref="ClassNames"/>); the single value <c>none</c> means no zero-shot
/// features, the embedding alone.
/// </summary>
public static class ZeroShotGroups
{
    public const string None = "none";

    /// <param name="option">The option the values came from, to name it in errors.</param>
    /// <param name="classCount">The backbone's number of classes (its logits' size).</param>
    /// <param name="classNames">Loaded only when a value names a class.</param>
    public static IReadOnlyList<int[]> Parse(string option, IReadOnlyList<string> values, int classCount, Func<ClassNames> classNames)
    {
        if (values.Count == 1 && values[0].Trim().Equals(None, StringComparison.OrdinalIgnoreCase)) return [];
        if (values.Count == 0) throw new ArgumentException($"{option}: give one or more groups of classes, or '{None}'.");
        if (classCount == 0) throw new ArgumentException($"{option}: the backbone has no class logits, so it has no zero-shot features; leave {option} out or give '{None}'.");
        return values.Select(group => ParseGroup(option, group, classCount, classNames)).ToList();
    }

    private static int[] ParseGroup(string option, string group, int classCount, Func<ClassNames> classNames)
    {
        var items = group.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new ArgumentException($"{option}: a group is empty; give class indices, ranges such as 151-268, or class names.");
        var classes = new SortedSet<int>();
        foreach (var item in items)
        {
            foreach (var index in Resolve(option, item, classNames))
            {
                if (index < 0 || index >= classCount)
                    throw new ArgumentException($"{option}: class {index} is outside 0..{classCount - 1} (the backbone has {classCount} classes).");
                classes.Add(index);
            }
        }
        return [.. classes];
    }

    private static IEnumerable<int> Resolve(string option, string item, Func<ClassNames> classNames)
    {
        if (int.TryParse(item, out var index)) return [index];
        var dash = item.IndexOf('-');
        if (dash > 0 && int.TryParse(item[..dash], out var first) && int.TryParse(item[(dash + 1)..], out var last))
        {
            if (last < first) throw new ArgumentException($"{option}: range {item} ends before it starts.");
            return Enumerable.Range(first, last - first + 1);
        }
        var names = classNames();
        var found = names.Find(item);
        return found.Count switch
        {
            1 => found,
            0 => throw new ArgumentException($"{option}: no class in {names.Path} is called '{item}'; give its index or another of its names."),
            _ => throw new ArgumentException($"{option}: '{item}' names classes {string.Join(" and ", found)} in {names.Path}; give the index."),
        };
    }
}
