namespace DistillLab.Web.Settings;

/// <summary>The data folder cannot hold the run history: said in one line at start, not as a database stack trace.</summary>
public sealed class DataFolderException(string folder, Exception inner) : Exception(
    $"The data folder '{folder}' must be a writable folder: DistillLab keeps its run history (distilllab.db), trained models " +
    $"and decode cache there. Make it writable, or point Data:Directory (appsettings.json, or DISTILLLAB_Data__Directory) at a folder " +
    $"that is. The system said: {inner.Message}", inner)
{
    public string Folder { get; } = folder;
}
