namespace Cascade.Services.Tests.Fixtures;

/// <summary>The repository (packs/) and the shared data and model folders beside it.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindUp(d => File.Exists(Path.Combine(d, "Cascade.sln")), "Cascade.sln");
    public static string SharedData { get; } = Path.Combine(FindUp(d => Directory.Exists(Path.Combine(d, "shared", "data", "bears")), "shared/data"), "shared", "data");
    public static string SharedModels => Path.Combine(Path.GetDirectoryName(SharedData)!, "models");

    private static string FindUp(Func<string, bool> found, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (found(dir.FullName)) return dir.FullName;
        throw new DirectoryNotFoundException($"No {what} above {AppContext.BaseDirectory}.");
    }
}
