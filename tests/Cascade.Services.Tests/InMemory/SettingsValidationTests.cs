using Cascade.AllInOne;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace Cascade.Services.Tests.InMemory;

/// <summary>Bad settings stop the host while it starts, naming the setting, before any request is served.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("--Orchestrator:StageTimeout=-00:00:01", "Orchestrator:StageTimeout")]
    [InlineData("--Inference:Batching:MaxBatchSize=0", "Batching:MaxBatchSize")]
    [InlineData("--Inference:IntraOpThreads=-2", "Inference:IntraOpThreads")]
    public async Task Invalid_setting_fails_the_start_with_its_name(string setting, string name)
    {
        (await Start(setting).Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(name);
    }

    [Fact]
    public async Task Unparsable_setting_fails_the_start_with_its_name()
    {
        (await Start("--Orchestrator:StageTimeout=soon").Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Orchestrator:StageTimeout");
    }

    private static Func<Task> Start(string setting) => async () =>
    {
        await using var app = CascadeHost.BuildAllInOne([setting, $"--Inference:ModelDirectory={SharedAssets.ModelDirectory}"],
            builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
    };
}
