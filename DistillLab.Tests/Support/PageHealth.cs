using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace DistillLab.Tests.Support;

/// <summary>What a browser test must also fail on although no page shows it: a Blazor circuit ended or a component
/// failed on the server (the tab then silently stops updating), a chart's JavaScript failed and was redrawn, or any
/// error in a followed tab's console (a failed script, a 404 resource, an uncaught exception).</summary>
/// <example><code>
/// var health = PageHealth.Watch(host);
/// var page = await browser.OpenAsync(host.BaseAddress);
/// health.Follow(page, "first tab");
/// ... the test ...
/// health.AssertHealthy();
/// </code></example>
public sealed class PageHealth
{
    private readonly Func<IReadOnlyList<string>> serverProblems;
    private readonly List<string> browserErrors = [];

    private PageHealth(Func<IReadOnlyList<string>> serverProblems) => this.serverProblems = serverProblems;

    /// <summary>A dashboard in this test process: its log entries.</summary>
    public static PageHealth Watch(DashboardHost host) => new(() => host.Log.Entries
        .Where(e => e.Level >= LogLevel.Warning && IsPageCategory(e.Category))
        .Select(e => e.ToString()).ToList());

    /// <summary>A dashboard started as a process of its own: the console logger's "warn:", "fail:" and "crit:" lines of
    /// the same categories in its output.</summary>
    public static PageHealth Watch(AppProcess dashboard) => new(() => dashboard.Output.Split('\n')
        .Where(line => (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) ||
                        line.StartsWith("crit:", StringComparison.Ordinal))
                       && (line.Contains("Microsoft.AspNetCore.Components", StringComparison.Ordinal) || line.Contains("DistillLab.Web.Components", StringComparison.Ordinal)))
        .ToList());

    /// <summary>Records the tab's console errors and uncaught page errors from now on; call it right after opening the tab.</summary>
    public void Follow(IPage page, string name)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (browserErrors) browserErrors.Add($"{name} console: {message.Text}");
        };
        page.PageError += (_, error) => { lock (browserErrors) browserErrors.Add($"{name} page error: {error}"); };
    }

    /// <summary>Server entries of Blazor's circuits and renderer, and of the dashboard's own components (a chart that
    /// failed in the browser logs a warning there before it redraws), at Warning or above.</summary>
    public IReadOnlyList<string> ServerProblems() => serverProblems();

    private static bool IsPageCategory(string category) =>
        category.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal) ||
        category.StartsWith("DistillLab.Web.Components", StringComparison.Ordinal);

    public IReadOnlyList<string> BrowserProblems()
    {
        lock (browserErrors) return browserErrors.ToList();
    }

    public void AssertHealthy()
    {
        var problems = ServerProblems().Concat(BrowserProblems()).ToList();
        Assert.True(problems.Count == 0, "The dashboard had errors no page showed:\n" + string.Join("\n", problems));
    }
}
