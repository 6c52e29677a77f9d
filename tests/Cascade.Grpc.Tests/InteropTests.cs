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
    /// <summary>Debian's grpc-proto: grpc.health.v1 and grpc.reflection, which the server gets from its packages.</summary>
    private const string GrpcProtoRoot = "/usr/share/grpc-proto";
    /// <summary>google/rpc/status.proto and error_details.proto, copied from Google.Api.CommonProtos at build.</summary>
    private static readonly string RpcProtoRoot = Path.Combine(AppContext.BaseDirectory, "Interop", "protos");
    private static readonly string BlackBear = SharedAssets.Photos("bears/black")[0];

    [Fact]
    public async Task Python_grpcio_client_gets_every_answer_right()
    {
        var stubs = Directory.CreateTempSubdirectory("cascade-pystubs-").FullName;
        try
        {
            // These go in at the root: as grpc/... or google/... their Python modules would shadow the grpc and google packages.
            string[] grpcProtos = [Path.Combine(GrpcProtoRoot, "grpc", "health", "v1", "health.proto"), Path.Combine(GrpcProtoRoot, "grpc", "reflection", "v1alpha", "reflection.proto")];
            string[] rpcProtos = [Path.Combine(RpcProtoRoot, "google", "rpc", "status.proto"), Path.Combine(RpcProtoRoot, "google", "rpc", "error_details.proto")];
            foreach (var proto in grpcProtos.Concat(rpcProtos)) File.Copy(proto, Path.Combine(stubs, Path.GetFileName(proto)));
            await RunAsync("/usr/bin/python3", ["-m", "grpc_tools.protoc", $"-I{ProtoRoot}", $"-I{stubs}", $"--python_out={stubs}", $"--grpc_python_out={stubs}",
                "cascade/v1/cascade.proto", .. grpcProtos.Select(Path.GetFileName)!]);
            // Messages only, with Debian's protoc: error_details.proto has proto3 `optional` fields, which the protoc
            // inside Debian's grpc_tools predates.
            await RunAsync("protoc", [$"-I{stubs}", $"--python_out={stubs}", .. rpcProtos.Select(Path.GetFileName)!]);
            var report = JsonDocument.Parse(await RunAsync("/usr/bin/python3", [Interop("python_client.py"), host.GrpcPort.ToString(), stubs, BlackBear])).RootElement;
            output.WriteLine(report.ToString());

            var classify = report.GetProperty("classify");
            classify.GetProperty("state").GetString().Should().Be("COMPLETED");
            classify.GetProperty("verdict").GetString().Should().Be("LABEL");
            classify.GetProperty("label").GetString().Should().Be("black");
            classify.GetProperty("trace_id").GetString().Should().HaveLength(32);
            var corrupt = report.GetProperty("corrupt");
            corrupt.GetProperty("code").GetString().Should().Be("INVALID_ARGUMENT");
            corrupt.GetProperty("error_info").GetProperty("reason").GetString().Should().Be("IMAGE_CORRUPT");
            corrupt.GetProperty("error_info").GetProperty("domain").GetString().Should().Be("cascade.v1");
            report.GetProperty("deadline").GetProperty("code").GetString().Should().Be("DEADLINE_EXCEEDED");
            report.GetProperty("not_found").GetProperty("code").GetString().Should().Be("NOT_FOUND");
            report.GetProperty("not_found").GetProperty("error_info").GetProperty("reason").GetString().Should().Be("NOT_FOUND");
            report.GetProperty("watch").GetProperty("count").GetInt32().Should().Be(1);
            report.GetProperty("watch").GetProperty("same_id").GetBoolean().Should().BeTrue();
            report.GetProperty("gate").GetProperty("accepted").GetBoolean().Should().BeTrue();
            report.GetProperty("health").GetString().Should().Be("SERVING");
            report.GetProperty("health_unknown").GetProperty("code").GetString().Should().Be("NOT_FOUND");
            report.GetProperty("health_watch").GetString().Should().Be("SERVING");
            report.GetProperty("reflection_services").EnumerateArray().Select(s => s.GetString()).Should().Contain(
            [
                "cascade.v1.OrchestratorService", "cascade.v1.GateService", "cascade.v1.ClassifierService",
                "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
            ]);
        }
        finally
        {
            Directory.Delete(stubs, recursive: true);
        }
    }

    [Fact]
    public async Task Grpc_js_client_classifies_reads_error_info_and_checks_health()
    {
        var report = JsonDocument.Parse(await RunAsync("node", [Interop("grpcjs_client.js"), host.GrpcPort.ToString(), ProtoRoot, GrpcProtoRoot, RpcProtoRoot, BlackBear],
            ("NODE_PATH", Path.Combine(SharedAssets.RepoRoot, "tests", "node_modules")))).RootElement;
        output.WriteLine(report.ToString());
        report.GetProperty("classify").GetProperty("state").GetString().Should().Be("COMPLETED");
        report.GetProperty("classify").GetProperty("label").GetString().Should().Be("black");
        report.GetProperty("corrupt").GetProperty("code").GetString().Should().Be("INVALID_ARGUMENT");
        report.GetProperty("corrupt").GetProperty("error_info").GetProperty("reason").GetString().Should().Be("IMAGE_CORRUPT");
        report.GetProperty("deadline").GetProperty("code").GetString().Should().Be("DEADLINE_EXCEEDED");
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
