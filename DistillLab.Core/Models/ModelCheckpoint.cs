using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace DistillLab.Core.Models;

/// <summary>A trained model on disk: a small JSON header with the <see cref="ModelSpec"/> needed to rebuild it and
/// what it was trained on (<see cref="TrainingProvenance"/>), then the weights.</summary>
/// <remarks>One file, written all or nothing (<see cref="AtomicFile"/>), so a killed run never leaves a half checkpoint that a later run trusts.
/// The header is the spec's JSON with a "TrainedOn" member added: checkpoints saved before it existed still load (their
/// provenance reads as null), and an older DistillLab reading a newer checkpoint ignores the member.</remarks>
public static class ModelCheckpoint
{
    private static readonly byte[] Magic = "DLCKPT1\n"u8.ToArray();

    /// <param name="trainedOn">What the model was trained on; null only when that is not known (a model reused from an
    /// older checkpoint), which makes a later run refuse it unless told otherwise.</param>
    public static void Save(nn.Module<Tensor, Tensor> model, ModelSpec spec, string path, TrainingProvenance? trainedOn) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(JsonSerializer.Serialize(new Header(spec.Kind, spec.ImageSize, spec.Channels, spec.Classes, trainedOn)));
        model.save(writer);
    });

    /// <summary>Reads only the header: what the checkpoint was built for.</summary>
    public static ModelSpec ReadSpec(string path) => ReadHeader(path).Spec;

    /// <summary>Reads only the header: what the checkpoint was built for and what it was trained on (null in a
    /// checkpoint saved before DistillLab recorded it).</summary>
    public static (ModelSpec Spec, TrainingProvenance? TrainedOn) ReadHeader(string path)
    {
        using var reader = OpenReader(path);
        var header = ReadHeader(reader, path);
        return (header.Spec, header.TrainedOn);
    }

    public static TeacherNet LoadTeacher(string path) => Load(path, ModelKind.Teacher, spec => new TeacherNet(spec));

    public static StudentNet LoadStudent(string path) => Load(path, ModelKind.Student, spec => new StudentNet(spec));

    private static T Load<T>(string path, ModelKind kind, Func<ModelSpec, T> build) where T : nn.Module<Tensor, Tensor>
    {
        using var reader = OpenReader(path);
        var spec = ReadHeader(reader, path).Spec;
        if (spec.Kind != kind)
            throw new InvalidDataException($"Checkpoint '{path}' holds a {spec.Kind.ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}.");
        var model = build(spec);
        try
        {
            model.load(reader);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            model.Dispose();
            throw new InvalidDataException($"Checkpoint '{path}' is damaged: its weights could not be read ({e.Message}).", e);
        }
        return model;
    }

    private static BinaryReader OpenReader(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static Header ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"'{path}' is not a DistillLab checkpoint (wrong magic bytes).");
            return JsonSerializer.Deserialize<Header>(reader.ReadString())
                ?? throw new InvalidDataException($"Checkpoint '{path}' has an empty header.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is damaged: its header could not be read.", e);
        }
    }

    /// <summary>The header's JSON: <see cref="ModelSpec"/>'s members as they always were, plus the provenance.</summary>
    private sealed record Header(ModelKind Kind, int ImageSize, int Channels, int Classes, TrainingProvenance? TrainedOn)
    {
        [JsonIgnore] public ModelSpec Spec => new(Kind, ImageSize, Channels, Classes);
    }
}
