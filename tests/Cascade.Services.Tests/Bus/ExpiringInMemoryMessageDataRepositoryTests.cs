using Cascade.ServiceDefaults.Bus;
using MassTransit;

namespace Cascade.Services.Tests.Bus;

public sealed class ExpiringInMemoryMessageDataRepositoryTests
{
    [Fact]
    public async Task Claim_checks_expire_after_their_time_to_live()
    {
        var time = new ManualTime();
        var repository = new ExpiringInMemoryMessageDataRepository(time);

        var image = await repository.PutBytes([1, 2, 3], TimeSpan.FromSeconds(5));
        (await image.Value).Should().Equal(1, 2, 3);

        time.Now += TimeSpan.FromSeconds(6);
        await FluentActions.Awaiting(() => repository.Get(image.Address)).Should().ThrowAsync<MessageDataNotFoundException>();
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
