using Cascade.AllInOne;
using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;
using MassTransit;

namespace Cascade.Services.Tests.InMemory;

/// <summary>
/// <c>Gate:ForwardPixels</c>, for a classifier on another backbone than the gate's: the gate's decode travels only when
/// it is on, and the classifier scores it exactly as it scores its own decode of the image.
/// </summary>
public sealed class PixelForwardingTests
{
    private const string ClassifierOnAnotherBackbone = "classifier-mobilenetv2-fp32";

    [Fact]
    public async Task A_classifier_on_another_backbone_scores_the_gates_forwarded_decode_as_its_own()
    {
        var bears = Enumerable.Range(0, 6).Select(TestImages.Grizzly).ToArray();

        var (ownDecode, withoutPixels) = await ClassifyAsync(bears, forwardPixels: false);
        var (forwardedDecode, withPixels) = await ClassifyAsync(bears, forwardPixels: true);

        withoutPixels.Should().HaveCount(bears.Length).And.OnlyContain(c => c.Pixels == null, "off, only the image and the gate's result travel");
        withPixels.Should().HaveCount(bears.Length).And.OnlyContain(c => c.Pixels != null);
        for (var i = 0; i < bears.Length; i++)
        {
            var (own, forwarded) = (ownDecode[i], forwardedDecode[i]);
            own.Status.Should().Be(SubmissionStatus.Completed);
            forwarded.Status.Should().Be(SubmissionStatus.Completed);
            forwarded.Classifier!.Timings.BatchSize.Should().Be(1, "a classifier on another backbone runs its own model");
            forwarded.Label.Should().Be(own.Label);
            forwarded.Classifier.Scores.Select(s => s.Label).Should().Equal(own.Classifier!.Scores.Select(s => s.Label));
            forwarded.Classifier.Scores.Zip(own.Classifier.Scores, (f, o) => Math.Abs(f.Score - o.Score)).Should().OnlyContain(d => d < 1e-4,
                "the gate decodes and resizes exactly as the classifier would");
        }
    }

    /// <summary>The photos one at a time through an all-in-one host with that setting, and the classifier's commands it consumed.</summary>
    private static async Task<(List<SubmissionFinished> Results, List<ClassifyImage> Commands)> ClassifyAsync(byte[][] photos, bool forwardPixels)
    {
        await using var host = await ServiceHost.StartAsync(CascadeRoles.All, new Dictionary<string, string?>
        {
            ["Classifier:Pack"] = ClassifierOnAnotherBackbone,
            ["Gate:ForwardPixels"] = forwardPixels.ToString(),
        });
        var counter = new ConsumeCounter();
        using var observer = host.Get<IBus>().ConnectConsumeObserver(counter);
        var submissions = host.Get<SubmissionService>();
        var results = new List<SubmissionFinished>();
        foreach (var photo in photos) results.Add(await submissions.ClassifyAsync(photo));
        return (results, counter.Messages<ClassifyImage>().ToList());
    }
}
