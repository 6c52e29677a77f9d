using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cascade.Cli.Tests;

/// <summary>Every way a first user got a stack trace or the whole help: now one <c>error:</c> line with the cause, exit 2 or 1.</summary>
[Collection("cli")]
public class CommandErrorTests
{
    private static readonly string Photo = SharedAssets.Photos("bears/grizzly")[0];

    [Theory]
    [InlineData("--concurrency", "abc", "--concurrency must be a whole number of at least 1, not 'abc'")]
    [InlineData("--concurrency", "0", "--concurrency must be a whole number of at least 1, not '0'")]
    [InlineData("--threads", "-1", "--threads must be a whole number of at least 0, not '-1'")]
    [InlineData("--server", "127.0.0.1:15101", "'127.0.0.1:15101' is not an http:// or https:// address (e.g. http://127.0.0.1:5001)")]
    public async Task A_bad_option_value_is_a_usage_error_naming_it_and_where_help_is(string option, string value, string message)
    {
        var run = await CliRun.InvokeAsync("classify", option, value, Photo);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, message);
        run.Error.Should().Contain("(see `cascade classify --help`)");
    }

    [Fact]
    public async Task An_unknown_option_is_called_that_not_a_missing_file()
    {
        var run = await CliRun.InvokeAsync("classify", "--bogus", Photo);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "Unknown option '--bogus'");
    }

    [Fact]
    public async Task A_folder_without_images_is_an_error_not_an_empty_table()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "notes.txt"), "no photos here");

        var run = await CliRun.InvokeAsync("classify", temp.Path);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, $"No images in {temp.Path}");
    }

    [Fact]
    public async Task A_malformed_submission_id_is_refused_before_calling_the_server()
    {
        var run = await CliRun.InvokeAsync("watch", "--server", "http://127.0.0.1:1", "not-an-id");

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "'not-an-id' is not a submission id");
    }

    [Fact]
    public async Task No_server_at_the_address_says_so_and_how_to_start_one()
    {
        var run = await CliRun.InvokeAsync("classify", "--server", $"http://127.0.0.1:{ClosedPort()}", Photo);

        run.ShouldBeOneErrorLine(CommandErrors.RuntimeError, "(connection refused). Start one with `cascade serve`");
    }

    [Fact]
    public async Task The_http_port_instead_of_the_grpc_port_says_which_port_to_use()
    {
        var port = ClosedPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1));
        await using var http1Only = builder.Build();
        http1Only.MapGet("/", () => "REST");
        await http1Only.StartAsync();

        var run = await CliRun.InvokeAsync("classify", "--server", $"http://127.0.0.1:{port}", Photo);

        run.ShouldBeOneErrorLine(CommandErrors.RuntimeError, "answers HTTP/1.1 only: that is the REST and web port, not gRPC");
    }

    [Fact]
    public async Task Watching_an_unknown_submission_names_the_stable_code()
    {
        await using var host = await LiveCascadeHost.StartAsync();

        var run = await CliRun.InvokeAsync("watch", "--server", host.GrpcAddress.ToString(), "3f2b8c1e-5d4a-4e7b-9c61-0a1b2c3d4e5f");

        run.ShouldBeOneErrorLine(CommandErrors.RuntimeError, "the server answered NOT_FOUND: No submission 3f2b8c1e-5d4a-4e7b-9c61-0a1b2c3d4e5f");
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_names_the_address_and_the_options_to_change()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;

        var run = await CliRun.InvokeAsync("serve", "--urls", $"http://127.0.0.1:{port}", "--grpc-port", ClosedPort().ToString(),
            "--model-dir", SharedAssets.ModelDirectory);

        run.ShouldBeOneErrorLine(CommandErrors.RuntimeError, "address already in use");
        run.Error.Should().Contain($"127.0.0.1:{port}").And.Contain("--urls and --grpc-port");
    }

    [Fact]
    public async Task Serve_without_its_packs_says_which_and_how_to_install_them_instead_of_serving_503s()
    {
        using var empty = new TempDirectory();

        var run = await CliRun.InvokeAsync("serve", "--urls", $"http://127.0.0.1:{ClosedPort()}", "--grpc-port", ClosedPort().ToString(), "--model-dir", empty.Path);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, $"Pack 'gate-mobilenetv2-int8' is not in the model directory {empty.Path}; run `cascade models pull`");
    }

    /// <summary>Simulated: no test can take ONNX Runtime or libvips away from this process, so a command throws what .NET throws then.</summary>
    [Fact]
    public async Task A_missing_native_library_says_where_it_comes_from()
    {
        var root = new RootCommand();
        root.SetAction(new Func<ParseResult, int>(_ => throw new TypeInitializationException("NetVips.ModuleInitializer",
            new DllNotFoundException("Unable to load shared library 'libvips.so.42' or one of its dependencies."))));
        var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(root, [], error);

        new CliRun(code, error.ToString()).ShouldBeOneErrorLine(CommandErrors.RuntimeError, "libvips.so.42");
        error.ToString().Should().Contain("NetVips.Native.linux-x64");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
