using System.Globalization;
using DistillLab.Core.Insight;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>One model's reliability diagram (<see cref="ReliabilityBin"/>s) as plotly bars with the diagonal of
/// perfect calibration; hovering a bar gives its image count, mean confidence and accuracy.</summary>
public partial class ReliabilityChart
{
    [Parameter, EditorRequired] public IReadOnlyList<ReliabilityBin> Bins { get; set; } = [];
    [Parameter, EditorRequired] public string Model { get; set; } = "";
    [Parameter, EditorRequired] public string Color { get; set; } = "";
    [Parameter] public double Ece { get; set; }
    /// <summary>How many classes the model tells apart: its confidence is never below 1 / classes, so the axis starts there.</summary>
    [Parameter] public int Classes { get; set; } = 2;

    private readonly Config config = new() { Responsive = true, DisplayLogo = false, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };
    private Plotly.Blazor.Layout layout = new();
    private readonly IList<ITrace> data = new List<ITrace>();
    private int drawnBins;

    protected override void OnInitialized()
    {
        var filled = Bins.Where(b => b is { Count: > 0, Accuracy: not null }).ToList();
        drawnBins = filled.Count;
        // The lowest bin edge at or below 1 / classes, so the first possible bin shows whole.
        double from = Bins.Count == 0 ? 0 : Bins.Where(b => b.Upper > 1.0 / Math.Max(1, Classes)).Select(b => b.Lower).DefaultIfEmpty(0).Min();
        layout = new Plotly.Blazor.Layout
        {
            Title = new Title { Text = $"{Model}: ECE {Percent(Ece)}", X = 0, XRef = Plotly.Blazor.LayoutLib.TitleLib.XRefEnum.Paper,
                XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left, Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 13 } },
            Height = 270,
            Margin = new Margin { L = 45, R = 10, T = 34, B = 40 },
            ShowLegend = false,
            BarMode = BarModeEnum.Overlay,
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "confidence" }, Range = [from, 1.0] }],
            YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "accuracy" }, Range = [0.0, 1.02] }],
        };
        data.Add(new Bar
        {
            Name = "accuracy",
            X = filled.Select(b => (object)((b.Lower + b.Upper) / 2)).ToList(),
            Y = filled.Select(b => (object)b.Accuracy!.Value).ToList(),
            WidthArray = filled.Select(b => (decimal?)(decimal)((b.Upper - b.Lower) * 0.92)).ToList(),
            Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Color },
            HoverTextArray = filled.Select(b =>
                $"{b.Count} images, confidence {Percent(b.MeanConfidence)}, accuracy {Percent(b.Accuracy)}").ToList(),
            HoverInfo = Plotly.Blazor.Traces.BarLib.HoverInfoFlag.Text,
        });
        data.Add(new Scatter
        {
            Name = "perfect calibration",
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
            X = [from, 1.0],
            Y = [from, 1.0],
            Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#616161", Dash = "dash", Width = 1.5m },
            HoverInfo = Plotly.Blazor.Traces.ScatterLib.HoverInfoFlag.Skip,
        });
    }

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";
}
