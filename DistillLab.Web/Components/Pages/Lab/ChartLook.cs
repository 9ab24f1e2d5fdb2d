using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>How the dashboard's line charts look and behave: a toolbar with zoom and reset, one hover label for all
/// series at an epoch, the legend under the plot (so titles and legends fit a phone's width).</summary>
public static class ChartLook
{
    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.True,
        // Zoom, pan and "reset axes" stay: few enough to leave the left-aligned title room on a phone.
        ModeBarButtonsToRemove = new[] { "select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "toImage" },
    };

    public static Plotly.Blazor.Layout Layout(string title, string yTitle, (double Min, double Max)? yRange) => new()
    {
        Title = new Title { Text = title, X = 0, XRef = Plotly.Blazor.LayoutLib.TitleLib.XRefEnum.Paper, XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left,
            Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 14 } },
        Height = 360,
        Margin = new Margin { L = 50, R = 10, T = 40, B = 40 },
        HoverMode = HoverModeEnum.XUnified,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.3m, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top }],
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "epoch" }, DTick = 1 }],
        YAxis = [new YAxis
        {
            Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle },
            Range = yRange is { } r ? [r.Min, r.Max] : null,
        }],
    };
}
