using System.Buffers.Binary;
using DistillLab.Core.Data;
using DistillLab.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Training;

/// <summary>A frozen teacher's logits for every image of a training set, computed once and read by image position.</summary>
/// <remarks>The teacher does not learn during distillation and the lab has no augmentation, so its output for an image
/// is the same in every epoch and every trial: one pass over the set replaces a teacher forward pass per batch, and a
/// distilled epoch then costs about what a scratch epoch costs (docs/benchmarks.md). In eval mode (no dropout, no batch
/// statistics in these models) an image's logits do not depend on the batch it is in, so the cached rows are the
/// logits the teacher would have given inside any training batch.</remarks>
public sealed class TeacherLogits : IDisposable
{
    private readonly Tensor logits;

    private TeacherLogits(Tensor logits) => this.logits = logits;

    /// <summary>Images covered (rows).</summary>
    public long Count => logits.shape[0];

    /// <summary>Runs <paramref name="teacher"/> once over <paramref name="set"/> in eval mode, in its order, in batches of
    /// <paramref name="batchSize"/>; the logits stay on <paramref name="device"/>.</summary>
    public static TeacherLogits Compute(TeacherNet teacher, ImageSet set, int batchSize, Device device, CancellationToken cancellationToken)
    {
        teacher.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var batch in BatchLoader.Batches(set, batchSize, shuffleSeed: null, cancellationToken, prefetch: device.type != DeviceType.CPU))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (images, _) = Trainer.ToTensors(batch, device);
            parts.Add(teacher.call(images));
        }
        // Kept beyond the scope: the cache lives as long as its owner (a run, or one seed of a study) needs it.
        var all = parts.Count == 0 ? zeros(0, 0, device: device) : cat(parts, 0);
        return new TeacherLogits(all.DetachFromDisposeScope());
    }

    /// <summary>The rows of the images at <paramref name="indices"/> (positions in the set the cache was computed on).</summary>
    public Tensor For(int[] indices)
    {
        using var index = torch.tensor(indices.Select(i => (long)i).ToArray(), device: logits.device);
        return logits.index_select(0, index);
    }

    /// <summary>The logits as bytes (rows, columns, then the values as little-endian float32), to keep where another
    /// process can read them: a trial on any worker then needs no teacher.</summary>
    public byte[] ToBytes()
    {
        using var onCpu = logits.cpu();
        var values = onCpu.data<float>().ToArray();
        long columns = logits.shape.Length > 1 ? logits.shape[1] : 0;
        var bytes = new byte[16 + values.Length * sizeof(float)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, Count);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), columns);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(16 + i * sizeof(float)), values[i]);
        return bytes;
    }

    /// <summary>Logits written by <see cref="ToBytes"/>, on <paramref name="device"/>: the same values, bit for bit.</summary>
    /// <exception cref="InvalidDataException">The bytes are not logits in that format.</exception>
    public static TeacherLogits FromBytes(byte[] bytes, Device device)
    {
        if (bytes.Length < 16) throw new InvalidDataException($"Teacher logits need a 16-byte header; got {bytes.Length} bytes.");
        long rows = BinaryPrimitives.ReadInt64LittleEndian(bytes), columns = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (rows < 0 || columns < 0 || 16 + rows * columns * sizeof(float) != bytes.Length)
            throw new InvalidDataException($"Teacher logits of {rows} x {columns} need {16 + rows * columns * sizeof(float)} bytes; got {bytes.Length}.");
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(16 + i * sizeof(float)));
        return new TeacherLogits(torch.tensor(values, [rows, columns], device: device));
    }

    public void Dispose() => logits.Dispose();
}
