using DistillLab.Core.Inference;
using DistillLab.Web.Settings;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Components.Pages.Predictions;

/// <summary>Test images of a finished run with every model's prediction; filters, shuffle, an upload of your own picture,
/// and the dark-knowledge view of one test image (its softmax at a temperature the reader chooses).</summary>
public partial class Predictions
{
    [Parameter] public string? RunId { get; set; }
    [Inject] private RunRegistry Runs { get; set; } = default!;
    [Inject] private PredictionService PredictionService { get; set; } = default!;
    [Inject] private DarkKnowledgeService DarkKnowledge { get; set; } = default!;
    [Inject] private IOptions<DashboardOptions> Options { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private const int PageSize = 24;
    private List<RunDetails> completed = [];
    private string? selectedId;
    private RunDetails? run;
    private PredictionFilter filter = PredictionFilter.All;
    private int? seed;
    private PredictionPage? shown;
    private UploadPrediction? upload;
    private string? uploadName, uploadError;
    // The image in the dark-knowledge view: the first shown one, until the reader picks another.
    private ImageLogits? softened;
    private string? softenedRunId;
    private bool scrollToSoftened;

    protected override void OnParametersSet()
    {
        completed = Runs.List().Where(r => r.Status == RunStatus.Completed).ToList();
        selectedId = RunId is not null && completed.Any(r => r.Id == RunId) ? RunId : completed.FirstOrDefault()?.Id;
        Load();
    }

    private void SelectRun(string id)
    {
        Navigation.NavigateTo($"/predictions/{id}");
    }

    private void SetFilter(PredictionFilter value)
    {
        filter = value;
        Load();
    }

    private void Shuffle()
    {
        seed = Random.Shared.Next();
        Load();
    }

    private void Load()
    {
        run = selectedId is null ? null : Runs.Get(selectedId);
        shown = run is null ? null : PredictionService.ForRun(run, filter, PageSize, seed);
        // Filters and shuffles keep the image being looked at; another run starts at its first shown image.
        if (softened is null || softenedRunId != run?.Id)
        {
            softened = run is not null && shown?.Images.FirstOrDefault() is { } first ? DarkKnowledge.Logits(run, first.Index) : null;
            softenedRunId = run?.Id;
            scrollToSoftened = false;
        }
        upload = null;
        uploadError = null;
    }

    private void Soften(int index)
    {
        if (run is null || DarkKnowledge.Logits(run, index) is not { } image) return;
        softened = image;
        scrollToSoftened = true;
    }

    private async Task Upload(InputFileChangeEventArgs e)
    {
        upload = null;
        uploadError = null;
        if (run is null) return;
        long limit = Options.Value.MaxUploadBytes;
        if (e.File.Size > limit)
        {
            uploadError = $"{e.File.Name} is {e.File.Size / (1024.0 * 1024):0.0} MB; pictures of at most {limit / (1024 * 1024)} MB are accepted.";
            return;
        }
        try
        {
            using var buffer = new MemoryStream();
            await using (var stream = e.File.OpenReadStream(limit)) await stream.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            upload = await PredictionService.ForUploadAsync(run, bytes);
            uploadName = e.File.Name;
        }
        catch (UploadsBusyException ex) { uploadError = ex.Message; }
        catch (ImageRejectedException ex) { uploadError = $"{e.File.Name}: {ex.Message}"; }
        catch (InvalidOperationException ex) { uploadError = ex.Message; }
        catch (IOException ex) { uploadError = $"{e.File.Name} could not be read: {ex.Message}"; }
    }
}
