namespace Cascade.Training.Tests;

/// <summary>Real models and photos from ../shared (beside the repository root), never copied into the repo.</summary>
public static class SharedAssets
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Shared => Path.Combine(Path.GetDirectoryName(RepoRoot)!, "shared");
    public static string Models => Path.Combine(Shared, "models");
    public static string Data => Path.Combine(Shared, "data");
    public static string MobileNetV2Fp32 => Path.Combine(Models, "mobilenetv2-12-fp32.onnx");
    public static string Bears => Path.Combine(Data, "bears");
    public static string Negatives => Path.Combine(Data, "negatives");
    public static string ExtraBears => Path.Combine(Data, "extra_bears");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cascade.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Cascade.sln above {AppContext.BaseDirectory}.");
    }
}
