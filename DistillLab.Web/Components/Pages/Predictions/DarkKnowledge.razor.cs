using DistillLab.Web.Predictions;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace DistillLab.Web.Components.Pages.Predictions;

/// <summary>The dark-knowledge view of one stored test image: its logits go to the browser once, and a small script
/// recomputes every model's softmax(z / T) on each move of the slider, with no round trip to the server per step.</summary>
/// <remarks>Give it a new @key for another image: the slider, bars and numbers are then fresh elements to bind.</remarks>
public partial class DarkKnowledge : IAsyncDisposable
{
    [Parameter, EditorRequired] public ImageLogits Image { get; set; } = default!;
    /// <summary>Scroll the view into sight once drawn (it was opened from an image further down).</summary>
    [Parameter] public bool Scroll { get; set; }
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<DarkKnowledge> Log { get; set; } = default!;

    private ElementReference root;
    private IJSObjectReference? module;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/dark-knowledge.js");
            await module.InvokeVoidAsync("show", root, new { Image.Teacher, Image.StudentScratch, Image.StudentDistilled }, Scroll);
        }
        catch (JSDisconnectedException) { /* the tab is gone */ }
        catch (JSException e)
        {
            // The view stays without numbers; the rest of the page is unaffected.
            Log.LogWarning(e, "The dark-knowledge view of test image {Index} could not start in the browser", Image.Index);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (module is null) return;
        try
        {
            await module.InvokeVoidAsync("dispose", root);
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}
