using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cascade.Grpc.Tests;

/// <summary>
/// Our server against gRPC clients nobody here wrote: Debian's python3-grpcio (the C-core reference
/// implementation) with stubs generated from our protos, and @grpc/grpc-js.
/// </summary>
[Collection(GrpcHostCollection.Name)]
public class InteropTests(GrpcHostFixture host, ITestOutputHelper output)
{
    private static readonly string ProtoRoot = Path.Combine(SharedAssets.RepoRoot, "shared", "Cascade.Protos", "Proto");
    private static readonly string BlackBear = SharedAssets.Photos("bears/black")[0];

    [Fact]
    public async Task Python_grpcio_client_gets_every_answer_right()
    {
        var stubs = Directory.CreateTempSubdirectory("cascade-pystubs-").FullName;
        try
        {
            // The health proto goes in at the root: as grpc/health/v1 its Python module would shadow the grpc package.
            File.Copy(Path.Combine(ProtoRoot, "grpc", "health", "v1", "health.proto"), Path.Combine(stubs, "health.proto"));
            await RunAsync("/usr/bin/python3", ["-m", "grpc_tools.protoc", $"-I{ProtoRoot}", $"-I{stubs}", $"--python_out={stubs}", $"--grpc_python_out={stubs}",
                "cascade/v1/cascade.proto", "health.proto"]);
            var report = JsonDocument.Parse(await RunAsync("/usr/bin/python3", [Interop("python_client.py"), host.GrpcPort.ToString(), stubs, BlackBear])).RootElement;
            output.WriteLine(report.ToString());

            var classify = report.GetProperty("classify");
            classify.GetProperty("state").GetString().Should().Be("COMPLETED");
            classify.GetProperty("verdict").GetString().Should().Be("LABEL");
            classify.GetProperty("label").GetString().Should().Be("black");
            classify.GetProperty("trace_id").GetString().Should().HaveLength(32);
            report.GetProperty("corrupt").GetProperty("code").GetString().Should().Be("INVALID_ARGUMENT");
            report.GetProperty("corrupt").GetProperty("details").GetString().Should().StartWith("IMAGE_CORRUPT");
            report.GetProperty("deadline").GetProperty("code").GetString().Should().Be("DEADLINE_EXCEEDED");
            report.GetProperty("not_found").GetProperty("code").GetString().Should().Be("NOT_FOUND");
            report.GetProperty("watch").GetProperty("count").GetInt32().Should().Be(1);
            report.GetProperty("watch").GetProperty("same_id").GetBoolean().Should().BeTrue();
            report.GetProperty("gate").GetProperty("accepted").GetBoolean().Should().BeTrue();
            report.GetProperty("health").GetString().Should().Be("SERVING");
            report.GetProperty("health_unknown").GetProperty("code").GetString().Should().Be("NOT_FOUND");
            report.GetProperty("health_watch").GetString().Should().Be("SERVING");
        }
        finally
        {
            Directory.Delete(stubs, recursive: true);
        }
    }

    [Fact]
    public async Task Grpc_js_client_classifies_and_checks_health()
    {
        var report = JsonDocument.Parse(await RunAsync("node", [Interop("grpcjs_client.js"), host.GrpcPort.ToString(), ProtoRoot, BlackBear],
            ("NODE_PATH", Path.Combine(SharedAssets.RepoRoot, "tests", "node_modules")))).RootElement;
        output.WriteLine(report.ToString());
        report.GetProperty("classify").GetProperty("state").GetString().Should().Be("COMPLETED");
        report.GetProperty("classify").GetProperty("label").GetString().Should().Be("black");
        report.GetProperty("health").GetString().Should().Be("SERVING");
    }

    private static string Interop(string script) => Path.Combine(AppContext.BaseDirectory, "Interop", script);

    private static async Task<string> RunAsync(string program, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}" +
                " (missing tools? run scripts/install-test-deps.sh and `npm ci` in tests/)");
        return await stdout;
    }
}
