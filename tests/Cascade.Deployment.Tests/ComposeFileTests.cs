using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Cascade.Classifier;
using Cascade.Gate;
using Cascade.Inference;
using Cascade.Orchestrator;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Grpc;

namespace Cascade.Deployment.Tests;

/// <summary>
/// docker-compose.yml parses (with each profile and override), and everything it tells the services is a setting
/// they read, with ports and mounts where those settings point. Renaming a setting without the compose file fails here.
/// </summary>
public class ComposeFileTests
{
    private static readonly string[] Services = ["gate", "classifier", "orchestrator"];

    /// <summary>Variables the services read that are not Cascade settings: ASP.NET Core and OpenTelemetry's own.</summary>
    private static readonly HashSet<string> PlatformVariables = ["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    private static readonly Lazy<HashSet<string>> Settings = new(() =>
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, type) in new (string, Type)[]
        {
            (InferenceOptions.Section, typeof(InferenceOptions)),
            (BusOptions.Section, typeof(BusOptions)),
            (GrpcServerOptions.Section, typeof(GrpcServerOptions)),
            (OrchestratorOptions.Section, typeof(OrchestratorOptions)),
            (GateOptions.Section, typeof(GateOptions)),
            (ClassifierOptions.Section, typeof(ClassifierOptions)),
        })
            AddKeys(keys, section, type);
        // The one setting read through IConfiguration.GetConnectionString rather than an options type.
        keys.Add($"ConnectionStrings:{Cascade.Orchestrator.Store.StoreOptions.ConnectionStringName}");
        return keys;
    });

    [Theory]
    [InlineData("-f", "docker-compose.yml", "config")]
    [InlineData("-f", "docker-compose.yml", "--profile", "observability", "config")]
    [InlineData("-f", "docker-compose.yml", "-f", "docker-compose.gpu.yml", "config")]
    [InlineData("-f", "docker-compose.yml", "-f", "docker-compose.local.yml", "config")]
    [InlineData("-f", "docker-compose.yml", "-f", "docker-compose.local.yml", "-f", "docker-compose.gpu-local.yml", "config")]
    [InlineData("-f", "docker-compose.yml", "-f", "docker-compose.local.yml", "-f", "docker-compose.observability-local.yml", "--profile", "observability", "config")]
    public void Compose_file_parses(params string[] arguments) => Run("docker-compose", arguments);

    [Fact]
    public void Every_variable_set_for_a_service_is_a_setting_it_reads()
    {
        var compose = Config("-f", "docker-compose.yml", "-f", "docker-compose.gpu.yml");
        foreach (var service in Services)
        {
            foreach (var variable in Environment(compose, service).Keys)
            {
                if (PlatformVariables.Contains(variable)) continue;
                Settings.Value.Should().Contain(variable.Replace("__", ":"), $"{service} sets {variable}, which no options type reads");
            }
        }
    }

    [Fact]
    public void Mounts_and_ports_match_the_settings()
    {
        var compose = Config("-f", "docker-compose.yml");
        foreach (var service in Services)
        {
            var environment = Environment(compose, service);
            var targets = compose.GetProperty("services").GetProperty(service).GetProperty("volumes").EnumerateArray()
                .Select(v => v.GetString()!.Split(':')[1]).ToList();
            targets.Should().Contain(environment["Inference__ModelDirectory"], $"{service} reads models where they are mounted");
            targets.Should().Contain(environment["Bus__MessageData__Path"], $"{service} shares claim-checked images on the volume");
        }
        var orchestrator = Environment(compose, "orchestrator");
        var published = compose.GetProperty("services").GetProperty("orchestrator").GetProperty("ports").EnumerateArray()
            .Select(p => p.ValueKind == JsonValueKind.String ? p.GetString()!.Split(':').Last() : p.GetProperty("target").ToString()).ToList();
        published.Should().Contain(orchestrator["ASPNETCORE_HTTP_PORTS"]).And.Contain(orchestrator["Grpc__Port"]);
        foreach (var service in Services)
        {
            var environment = Environment(compose, service);
            var dockerfile = File.ReadAllText(Path.Combine(SharedAssets.RepoRoot, "services", char.ToUpperInvariant(service[0]) + service[1..], "Dockerfile"));
            dockerfile.Should()
                .Contain($"Inference__ModelDirectory={environment["Inference__ModelDirectory"]}", $"the {service} image's defaults match compose")
                .And.Contain($"Bus__MessageData__Path={environment["Bus__MessageData__Path"]}")
                .And.Contain($"ASPNETCORE_HTTP_PORTS={environment["ASPNETCORE_HTTP_PORTS"]}")
                .And.Contain($"Grpc__Port={environment["Grpc__Port"]}");
        }
    }

    private static Dictionary<string, string> Environment(JsonElement compose, string service) =>
        compose.GetProperty("services").GetProperty(service).GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());

    private static void AddKeys(HashSet<string> keys, string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            keys.Add(key);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && !propertyType.IsArray && !propertyType.IsGenericType) AddKeys(keys, key, propertyType);
        }
    }

    /// <summary>The normalised compose model as JSON (docker-compose prints YAML; Debian's python3-yaml converts).</summary>
    private static JsonElement Config(params string[] files)
    {
        var yaml = Run("docker-compose", [.. files, "config"]);
        var json = Run("/usr/bin/python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"], yaml);
        return JsonDocument.Parse(json).RootElement;
    }

    private static string Run(string program, string[] arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = SharedAssets.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program} (run scripts/install-test-deps.sh).");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} failed: {error}");
        return output.Result;
    }
}
