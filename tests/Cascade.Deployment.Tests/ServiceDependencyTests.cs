using System.Text.Json;

namespace Cascade.Deployment.Tests;

/// <summary>
/// What each service ships, read from the dependency manifest of its own build: the orchestrator runs no model, so
/// neither ONNX Runtime nor libvips (nor the projects that bring them) may reach its output.
/// </summary>
public class ServiceDependencyTests
{
    private static readonly string[] ModelStack = ["Microsoft.ML.OnnxRuntime", "NetVips", "Cascade.Imaging", "Cascade.Inference", "Cascade.StageHosting"];

    [Fact]
    public void Orchestrator_ships_without_onnx_runtime_or_libvips()
    {
        var libraries = Libraries("Orchestrator");

        libraries.Should().Contain(l => l.StartsWith("Cascade.ServiceDefaults/"), "the manifest is the orchestrator's");
        libraries.Where(l => ModelStack.Any(l.StartsWith)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Gate")]
    [InlineData("Classifier")]
    public void Stages_ship_the_model_stack(string service)
    {
        var libraries = Libraries(service);

        foreach (var library in ModelStack) libraries.Should().Contain(l => l.StartsWith(library), service);
    }

    /// <summary>Every library (package or project) in the service's deps.json, as "name/version".</summary>
    private static List<string> Libraries(string service)
    {
        // The test runs from tests/Cascade.Deployment.Tests/bin/{Configuration}/net10.0: the services were built alike.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = output.Parent!.Name;
        var manifest = Path.Combine(SharedAssets.RepoRoot, "services", service, "bin", configuration, output.Name, $"Cascade.{service}.deps.json");
        File.Exists(manifest).Should().BeTrue($"{manifest} is written by building the solution");
        using var deps = JsonDocument.Parse(File.ReadAllText(manifest));
        return deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
    }
}
