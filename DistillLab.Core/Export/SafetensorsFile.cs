using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace DistillLab.Core.Export;

/// <summary>The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
/// ({name: {dtype, shape, data_offsets}}, plus "__metadata__" of string pairs), then the tensors' raw little-endian bytes.</summary>
/// <remarks>Hand-written because no NuGet package served here reads or writes it (docs/decisions.md); the format is
/// small and fixed. Reading checks what the reference implementation checks: offsets in bounds, each tensor's byte size
/// matching its dtype and shape, and the tensors covering the data without gaps or overlaps.</remarks>
internal static class SafetensorsFile
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation refuses headers above 100 MB; so do we, before allocating one.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DtypeBytes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1, ["I16"] = 2, ["U16"] = 2, ["F16"] = 2,
        ["BF16"] = 2, ["I32"] = 4, ["U32"] = 4, ["F32"] = 4, ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
    };

    /// <summary>One tensor of the header: where its bytes are, counted from the end of the header.</summary>
    public sealed record Entry(string Name, string Dtype, long[] Shape, long Start, long End);

    /// <summary>A parsed header: the metadata, the tensors in header order and where the data starts in the file.</summary>
    public sealed record Header(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<Entry> Tensors, long DataStart);

    public static void Write(Stream destination, IReadOnlyList<ModelWeights.Weight> weights, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata) writer.WriteString(key, value);
            writer.WriteEndObject();
            long offset = 0;
            foreach (var weight in weights)
            {
                long end = offset + weight.Values.LongLength * sizeof(float);
                writer.WriteStartObject(weight.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var size in weight.Shape) writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }
        // Spaces pad the header so the data starts 8-byte aligned, as the reference writer does.
        while (json.Length % 8 != 0) json.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        destination.Write(length);
        json.Position = 0;
        json.CopyTo(destination);
        foreach (var weight in weights) destination.Write(weight.Bytes);
    }

    /// <summary>Reads and checks the header; the stream is left at the start of the data.</summary>
    /// <param name="name">The file as the user named it, for messages.</param>
    public static Header ReadHeader(Stream stream, string name)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw Bad(name, "it is shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        long dataLength = stream.Length - 8 - (long)Math.Min(headerLength, (ulong)long.MaxValue);
        if (headerLength > MaxHeaderBytes || dataLength < 0)
            throw Bad(name, $"its header length ({headerLength:N0} bytes) does not fit the file ({stream.Length:N0} bytes)");
        var json = new byte[headerLength];
        stream.ReadExactly(json);

        var metadata = new Dictionary<string, string>();
        var tensors = new List<Entry>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(name, "its header is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    foreach (var pair in property.Value.EnumerateObject())
                        metadata[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()!
                            : throw Bad(name, $"its __metadata__ value '{Quote.Short(pair.Name)}' is not a string");
                    continue;
                }
                var value = property.Value;
                string dtype = value.GetProperty("dtype").GetString() ?? "";
                long[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                long[] offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw Bad(name, $"tensor '{Quote.Short(property.Name)}' has data_offsets outside the file's {dataLength:N0} data bytes");
                if (!DtypeBytes.TryGetValue(dtype, out int bytes))
                    throw Bad(name, $"tensor '{Quote.Short(property.Name)}' has an unknown dtype '{Quote.Short(dtype)}'");
                if (shape.Any(d => d < 0) || shape.Aggregate(1L, (a, d) => a * d) * bytes != offsets[1] - offsets[0])
                    throw Bad(name, $"tensor '{Quote.Short(property.Name)}' has {offsets[1] - offsets[0]:N0} bytes, which is not its shape [{string.Join(", ", shape)}] of {dtype}");
                tensors.Add(new Entry(property.Name, dtype, shape, offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(name, $"its header is not valid safetensors JSON ({e.Message})");
        }

        long covered = 0;
        foreach (var entry in tensors.OrderBy(t => t.Start))
        {
            if (entry.Start != covered) throw Bad(name, $"tensor '{Quote.Short(entry.Name)}' does not start where the previous one ends");
            covered = entry.End;
        }
        if (covered != dataLength) throw Bad(name, $"its tensors cover {covered:N0} of its {dataLength:N0} data bytes");
        return new Header(metadata, tensors, 8 + (long)headerLength);
    }

    /// <summary>One F32 tensor's values.</summary>
    public static float[] ReadFloats(Stream stream, Header header, Entry entry)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Reading safetensors weights needs a little-endian machine.");
        var values = new float[(entry.End - entry.Start) / sizeof(float)];
        stream.Position = header.DataStart + entry.Start;
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static InvalidDataException Bad(string name, string why) =>
        new($"'{name}' is not a valid safetensors file: {why}.");
}
