using Cascade.Training.Data;
using Cascade.Training.Evaluation;
using Microsoft.Playwright;

namespace Cascade.Web.Tests;

/// <summary>
/// The report `cascade eval` writes, in headless chromium, as a person reads it: captions of long file names stay under
/// their own thumbnail, the summary says what "own rule" means, and a curve drawn from a handful of images says so.
/// </summary>
public class EvalReportPageTests
{
    private const string Chromium = "/usr/bin/chromium";
    // Underscores, as in the bundled photos' names (imagenet_n02123045_tabby...): no line break opportunity, unlike hyphens.
    private const string LongName = "a_photo_name_far_longer_than_its_thumbnail_is_wide_with_nowhere_to_break";

    [Fact]
    public async Task Report_of_a_small_test_set_explains_itself_and_keeps_captions_apart()
    {
        File.Exists(Chromium).Should().BeTrue($"{Chromium} is needed: run scripts/install-test-deps.sh");
        using var temp = new TempDirectory();
        // Two photos of each bear, and two photos that are no bear filed as grizzly: the gate refuses those, so the report
        // has misclassified thumbnails, all with long names.
        var data = Path.Combine(temp.Path, "data");
        foreach (var label in new[] { "black", "grizzly", "teddy" })
            Link(Path.Combine(data, label), SharedAssets.Photos($"bears/{label}").Take(2));
        var others = SharedAssets.Photos("negatives");
        Link(Path.Combine(data, "grizzly"), others.Take(2), "not_a_bear");
        Link(Path.Combine(temp.Path, "negatives"), others.Skip(2).Take(3));

        var report = await Evaluator.RunAsync(new EvalOptions
        {
            Dataset = new DatasetOptions { ClassRoot = data, NegativeFolders = [Path.Combine(temp.Path, "negatives")] },
            Split = null,
            OutputDirectory = Path.Combine(temp.Path, "eval"),
            ModelMirror = SharedAssets.Models,
            Cascades = [new("zero-shot", Path.Combine(SharedAssets.Packs, "gate-mobilenetv2-int8"), Path.Combine(SharedAssets.Packs, "classifier-mobilenetv2-fp32"))],
        });
        report.Cascades[0].Errors.Should().HaveCountGreaterThanOrEqualTo(2, "the two non-bears filed as grizzly are misclassified");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        await page.GotoAsync(new Uri(report.ReportPath).AbsoluteUri);

        var note = page.Locator("#small-test-set");
        (await note.IsVisibleAsync()).Should().BeTrue("a curve from 8 positives and 3 negatives needs a word of warning");
        (await note.InnerTextAsync()).Should().Contain("Only 8 images the gate should accept and 3 it should refuse");
        (await page.Locator("#fine-accuracy").InnerTextAsync()).Should().Contain("Own rule").And.Contain("Argmax");

        var captions = page.Locator("figcaption");
        (await captions.CountAsync()).Should().Be(report.Cascades[0].Errors.Count);
        (await captions.First.InnerTextAsync()).Should().Contain(LongName[..20]);
        // Every caption wraps inside its thumbnail's 150 px column: an unbroken name neither runs under the next thumbnail
        // nor stretches its column.
        var overflowing = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('figure')].filter(f => f.getBoundingClientRect().width > 150.5 || f.scrollWidth > f.clientWidth ||
                f.querySelector('figcaption').getBoundingClientRect().right > f.getBoundingClientRect().right + 0.5)
              .map(f => f.querySelector('figcaption').innerText)
            """);
        overflowing.Should().BeEmpty();
    }

    private static void Link(string folder, IEnumerable<string> photos, string kind = "photo")
    {
        Directory.CreateDirectory(folder);
        var i = 0;
        foreach (var photo in photos) File.CreateSymbolicLink(Path.Combine(folder, $"{kind}_{LongName}_{i++}.jpg"), photo);
    }
}
