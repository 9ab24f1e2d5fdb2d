using Microsoft.Playwright;

namespace DistillLab.Tests.Support;

/// <summary>The system Chromium (/usr/bin/chromium) driven by Playwright, with the flags a closed network needs.
/// Screenshots go to artifacts/screenshots at the repository root.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private IPlaywright playwright = default!;
    public IBrowser Browser { get; private set; } = default!;

    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public static async Task<BrowserSession> StartAsync()
    {
        var executable = Environment.GetEnvironmentVariable("DISTILLLAB_CHROMIUM") ?? "/usr/bin/chromium";
        // Playwright would try to download its own browser; these tests use an installed one and say so when it is missing.
        if (!File.Exists(executable))
            throw new FileNotFoundException(
                $"The browser tests need Chromium at '{executable}': run scripts/setup.sh --tests (Debian/Ubuntu), " +
                "or set DISTILLLAB_CHROMIUM to a Chrome or Chromium executable.", executable);
        var session = new BrowserSession { playwright = await Playwright.CreateAsync() };
        session.Browser = await session.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            ChromiumSandbox = false,
            Headless = true,
            Args = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu",
                    "--disable-default-apps", "--disable-sync", "--no-default-browser-check"],
        });
        return session;
    }

    public async Task<IPage> OpenAsync(Uri url, int width = 1500, int height = 1100)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        // Expect(...) polls until its condition holds; Playwright's 5 s limit failed a heat map that Plotly drew a
        // little later on a busy machine. Like the actions' limit above, it only bounds a wait that is going wrong.
        Assertions.SetDefaultExpectTimeout(30_000);
        await page.GotoAsync(url.ToString());
        return page;
    }

    /// <summary>The page is prerendered; wait until the circuit answers (a changed field reaches the server and the estimate changes).</summary>
    public static async Task WaitForInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(500);
        var estimate = page.GetByRole(AriaRole.Status, new() { Name = "Estimate" });
        await Assertions.Expect(estimate).ToBeVisibleAsync();
        for (int attempt = 0; attempt < 60; attempt++)
        {
            var before = await estimate.TextContentAsync();
            await page.GetByLabel("Teacher epochs", new() { Exact = true }).FillAsync("9");
            await page.WaitForTimeoutAsync(300);
            if (await estimate.TextContentAsync() != before) break;
        }
        await page.GetByLabel("Teacher epochs", new() { Exact = true }).FillAsync("8");
    }

    /// <summary>Presses the Lab form's Start once it is enabled.</summary>
    public static async Task StartRunAsync(IPage page)
    {
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true });
        await Assertions.Expect(start).ToBeEnabledAsync();
        await start.ClickAsync();
    }

    /// <summary>Types into a form's number or text field by its label (not the slider that may share it) and leaves it.</summary>
    public static async Task FillFieldAsync(IPage page, string label, string value)
    {
        var field = page.GetByLabel(label, new() { Exact = true }).And(page.Locator("input:not([type=range])"));
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    /// <summary>An image's natural width once it has loaded: a visible &lt;img&gt; may still be fetching its bytes on a busy
    /// machine (reading `complete` at once failed that way in CI). An image that fails to load fails the test.</summary>
    public static Task<int> LoadedWidthAsync(ILocator image) => image.EvaluateAsync<int>(
        "img => img.complete ? img.naturalWidth : new Promise((loaded, failed) => {" +
        " img.addEventListener('load', () => loaded(img.naturalWidth));" +
        " img.addEventListener('error', () => failed(new Error('the image did not load: ' + img.src))); })");

    /// <summary>The whole page from its top: scrolled, the fixed app bar would be drawn across the middle of the picture.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    private static string FindScreenshotDirectory()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DistillLab.sln"))) folder = folder.Parent;
        var path = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
