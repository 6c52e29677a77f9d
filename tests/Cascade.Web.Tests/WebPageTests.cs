using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Cascade.Web.Tests;

/// <summary>The try-it page in headless chromium: upload real photos, read what the page shows.</summary>
[Collection(WebHostCollection.Name)]
public class WebPageTests(WebHostFixture host, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Uploading_a_bear_and_a_non_bear_shows_both_verdicts_with_scores()
    {
        File.Exists(Chromium).Should().BeTrue($"{Chromium} is needed: run scripts/install-test-deps.sh");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address.ToString());

        var bear = SharedAssets.Photos("bears/black")[0];
        var other = SharedAssets.Photos("negatives")[0];
        await page.SetInputFilesAsync("#files", [bear, other]);
        await page.WaitForSelectorAsync(".card[data-done='true'] >> nth=1", new() { Timeout = 60_000 });

        var bearCard = page.Locator($".card[data-file='{Path.GetFileName(bear)}']");
        (await bearCard.Locator(".verdict").InnerTextAsync()).Should().Be("black");
        (await bearCard.Locator(".file").InnerTextAsync()).Should().Be(Path.GetFileName(bear), "a card says which photo it is");
        (await bearCard.Locator(".scores .bar").CountAsync()).Should().Be(3, "one bar per label");
        (await bearCard.Locator(".gate .bar .value").InnerTextAsync()).Should().MatchRegex(@"^0\.\d{3}$|^1\.000$");
        (await bearCard.Locator(".timings").InnerTextAsync()).Should().Contain("gate").And.Contain("classifier").And.Contain("total");

        var otherCard = page.Locator($".card[data-file='{Path.GetFileName(other)}']");
        (await otherCard.Locator(".verdict").InnerTextAsync()).Should().Be("no bear");
        (await otherCard.Locator(".scores .bar").CountAsync()).Should().Be(0, "the classifier never saw it");

        // The live list polls every 2 s and shows both, with this page's own photo names.
        await page.WaitForFunctionAsync("document.querySelectorAll('#recent tbody tr').length >= 2", null, new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync($"[...document.querySelectorAll('#recent tbody td')].some(td => td.textContent === '{Path.GetFileName(bear)}')", null, new() { Timeout = 10_000 });
        (await page.Locator(".legend").First.InnerTextAsync()).Should().Contain("red tick").And.Contain("threshold", "the tick on each bar is explained");

        // Another client's photo: the server keeps no file names, so the row shows the clientRequestId it was sent with.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(other)), "image", "x.jpg" }, { new StringContent("camera-7/IMG_0042"), "clientRequestId" } };
        (await host.Http.PostAsync("/api/v1/classify", form)).EnsureSuccessStatusCode();
        await page.WaitForFunctionAsync("[...document.querySelectorAll('#recent tbody td')].some(td => td.textContent === 'camera-7/IMG_0042')", null, new() { Timeout = 10_000 });

        var screenshot = Path.Combine(AppContext.BaseDirectory, "web-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
    }
}
