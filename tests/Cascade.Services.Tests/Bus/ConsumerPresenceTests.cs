using Cascade.ServiceDefaults.Bus;

namespace Cascade.Services.Tests.Bus;

public sealed class ConsumerPresenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_ready_queue_without_a_consumer_is_lost_once_it_has_had_none_for_the_whole_period()
    {
        var presence = new ConsumerPresence(LostAfter);
        presence.Ready("cascade-gate");
        presence.Observe("cascade-gate", 1, T0 - TimeSpan.FromSeconds(5));

        presence.Observe("cascade-gate", 0, T0).Should().BeNull("the first check without a consumer starts the count");
        presence.Observe("cascade-gate", 0, T0 + LostAfter - TimeSpan.FromSeconds(1)).Should().BeNull();
        presence.Observe("cascade-gate", 0, T0 + LostAfter + TimeSpan.FromSeconds(2)).Should().Be(LostAfter + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_consumer_seen_again_starts_the_count_afresh()
    {
        var presence = new ConsumerPresence(LostAfter);
        presence.Ready("cascade-gate");
        presence.Observe("cascade-gate", 1, T0 - TimeSpan.FromSeconds(5));

        presence.Observe("cascade-gate", 0, T0);
        presence.Observe("cascade-gate", 2, T0 + TimeSpan.FromSeconds(10)).Should().BeNull();
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromSeconds(20)).Should().BeNull("the count began again at 20 s");
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromSeconds(34)).Should().BeNull();
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromSeconds(35)).Should().Be(LostAfter);
    }

    [Fact]
    public void A_queue_whose_endpoint_MassTransit_knows_is_not_consuming_is_not_judged_until_it_is_ready_again()
    {
        var presence = new ConsumerPresence(LostAfter);
        presence.Ready("cascade-gate");
        presence.Observe("cascade-gate", 1, T0 - TimeSpan.FromSeconds(5));
        presence.Observe("cascade-gate", 0, T0);

        // Reconnecting: MassTransit's own restart is under way.
        presence.NotConsuming("cascade-gate");
        presence.Consuming.Should().BeEmpty();
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromMinutes(5)).Should().BeNull();

        // Ready again: judged once the broker has been seen consuming, and counted from then, not from before the restart.
        presence.Ready("cascade-gate");
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromMinutes(6)).Should().BeNull();
        presence.Observe("cascade-gate", 1, T0 + TimeSpan.FromMinutes(7));
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromMinutes(8)).Should().BeNull();
        presence.Observe("cascade-gate", 0, T0 + TimeSpan.FromMinutes(8) + LostAfter).Should().Be(LostAfter);
    }

    [Fact]
    public void A_queue_the_broker_has_never_been_seen_consuming_is_not_judged()
    {
        // MassTransit's bus endpoint: called ready, its queue declared only when first used.
        var presence = new ConsumerPresence(LostAfter);
        presence.Ready("host_bus_x1");

        presence.Observe("host_bus_x1", 0, T0).Should().BeNull();
        presence.Observe("host_bus_x1", 0, T0 + LostAfter * 10).Should().BeNull();
    }

    [Fact]
    public void Queues_are_judged_apart()
    {
        var presence = new ConsumerPresence(LostAfter);
        presence.Ready("cascade-orchestrator");
        presence.Ready("cascade.submissions");
        presence.Observe("cascade-orchestrator", 1, T0 - TimeSpan.FromSeconds(5));

        presence.Observe("cascade-orchestrator", 0, T0);
        presence.Observe("cascade.submissions", 1, T0);
        presence.Observe("cascade.submissions", 1, T0 + LostAfter).Should().BeNull();
        presence.Observe("cascade-orchestrator", 0, T0 + LostAfter).Should().Be(LostAfter);
        presence.Consuming.Should().BeEquivalentTo("cascade-orchestrator", "cascade.submissions");
    }
}
