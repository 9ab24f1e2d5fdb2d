using Microsoft.Playwright;

namespace DistillLab.Tests.Support;

/// <summary>WCAG contrast of an element's text against what is behind it, computed in the page from the rendered
/// colours (translucent backgrounds and text blended over the layers below, as the eye sees them).</summary>
public static class Contrast
{
    public sealed record Measure(double Ratio, string Color, string Background);

    private const string Script = """
        (selector) => {
          const parse = s => { const m = s.match(/rgba?\(([^)]+)\)/); const p = m[1].split(/[ ,\/]+/).filter(x => x).map(Number); return p.length === 3 ? [...p, 1] : p; };
          const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1); };
          const background = el => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
            }
            return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
          };
          const luminance = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const el = document.querySelector(selector);
          if (!el) return null;
          const back = background(el);
          const fore = over(parse(getComputedStyle(el).color), back);
          const [l1, l2] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
          return { ratio: Math.round((l1 + 0.05) / (l2 + 0.05) * 100) / 100, color: getComputedStyle(el).color, background: `rgb(${back.slice(0, 3).map(Math.round).join(', ')})` };
        }
        """;

    /// <summary>The ratio for the first element matching <paramref name="selector"/>; fails when there is none.</summary>
    public static async Task<Measure> OfAsync(IPage page, string selector)
    {
        var measure = await page.EvaluateAsync<System.Text.Json.JsonElement>(Script, selector);
        if (measure.ValueKind != System.Text.Json.JsonValueKind.Object)
            throw new InvalidOperationException($"Nothing on the page matches '{selector}'.");
        return new Measure(measure.GetProperty("ratio").GetDouble(), measure.GetProperty("color").GetString()!, measure.GetProperty("background").GetString()!);
    }
}
