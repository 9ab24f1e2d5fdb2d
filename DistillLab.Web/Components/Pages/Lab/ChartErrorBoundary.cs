using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>Wraps a chart so that a JavaScript error in its own rendering (plotly's newPlot, which PlotlyChart calls
/// after its first render) is logged and the chart drawn again from scratch, instead of the exception ending the
/// whole Blazor circuit (every chart, form and button of the tab). After a few failed redraws it says so and stops.</summary>
public sealed class ChartErrorBoundary : ErrorBoundaryBase
{
    private const int MaxRedraws = 3;

    [Inject] private ILogger<ChartErrorBoundary> Log { get; set; } = default!;
    /// <summary>The chart's name, for the log.</summary>
    [Parameter, EditorRequired] public string Chart { get; set; } = "";
    /// <summary>Called before a redraw, so the chart's owner waits for the new plot before extending it.</summary>
    [Parameter] public EventCallback OnRedraw { get; set; }

    private int redraws;
    private bool givenUp;

    protected override async Task OnErrorAsync(Exception exception)
    {
        if (redraws >= MaxRedraws)
        {
            givenUp = true;
            Log.LogError(exception, "Chart '{Chart}' failed in the browser {Times} times; it is no longer drawn", Chart, redraws + 1);
            return;
        }
        redraws++;
        Log.LogWarning(exception, "Chart '{Chart}' failed in the browser; drawing it again", Chart);
        // Let the boundary render its error state first; Recover then re-creates the chart, which draws all its data anew.
        await Task.Yield();
        await OnRedraw.InvokeAsync();
        await InvokeAsync(Recover);
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
            return;
        }
        builder.OpenElement(1, "p");
        builder.AddAttribute(2, "class", "chart-failed");
        builder.AddContent(3, givenUp ? "This chart could not be drawn in this browser; reload the page to try again." : "Drawing the chart again…");
        builder.CloseElement();
    }
}
