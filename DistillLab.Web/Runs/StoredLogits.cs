using System.Text.Json;
using DistillLab.Core;
using DistillLab.Core.Insight;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Runs;

/// <summary>A run's test-split logits as a file in its folder: what the dark-knowledge view softens at any temperature
/// (softmax at another T needs logits, not probabilities). JSON, because .NET writes each float in its shortest form
/// that reads back to the same bits; written all or nothing.</summary>
public static class StoredLogits
{
    public const string FileName = "test-logits.json";

    public static void Write(string path, TestLogits logits) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, logits, JsonDefaults.Options));

    /// <summary>The stored logits; null when the file is not there (a run finished before they were kept).</summary>
    public static TestLogits? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<TestLogits>(stream, JsonDefaults.Options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }
}
