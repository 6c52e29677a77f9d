namespace Cascade.PeerBenchmarks.Images;

/// <summary>The images of a folder, chosen and ordered as <c>cascade classify FOLDER</c> does, so the outputs line up.</summary>
public static class ImageFolder
{
    /// <summary>Every file below <paramref name="folder"/> but hidden ones and .txt/.md/.csv notes, in ordinal order.</summary>
    /// <exception cref="PeerInputException">The folder does not exist or holds no images.</exception>
    public static IReadOnlyList<string> Images(string folder)
    {
        if (!Directory.Exists(folder)) throw new PeerInputException($"--data: no such folder: {folder}");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".txt") && !f.EndsWith(".md") && !f.EndsWith(".csv"))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new PeerInputException($"--data: no images in {folder} (hidden files and .txt, .md, .csv are skipped).");
        return files;
    }
}
