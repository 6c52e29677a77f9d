using System.Runtime.InteropServices;
using Cascade.Training.Onnx.Proto;
using Google.Protobuf;
using DataType = Cascade.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace Cascade.Training.Onnx;

/// <summary>
/// Reads and writes the values of ONNX initializers. ONNX stores them either packed in <c>raw_data</c>
/// (little-endian, which every platform .NET runs ONNX Runtime on is) or in the typed repeated fields, where
/// uint8, int8 and float16 take one int32 each; both forms are read.
/// </summary>
internal static class OnnxTensorData
{
    public static float[] Floats(TensorProto tensor)
    {
        Require(tensor, DataType.Float);
        return tensor.RawData.IsEmpty ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    /// <summary>uint8, int8 or int32 values, widened to int.</summary>
    public static int[] Integers(TensorProto tensor)
    {
        var type = (DataType)tensor.DataType;
        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            return type switch
            {
                DataType.Uint8 => raw.ToArray().Select(b => (int)b).ToArray(),
                DataType.Int8 => MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(b => (int)b).ToArray(),
                DataType.Int32 => MemoryMarshal.Cast<byte, int>(raw).ToArray(),
                _ => throw Unexpected(tensor, "uint8, int8 or int32"),
            };
        }
        return type is DataType.Uint8 or DataType.Int8 or DataType.Int32 ? [.. tensor.Int32Data] : throw Unexpected(tensor, "uint8, int8 or int32");
    }

    public static long[] Integers64(TensorProto tensor)
    {
        Require(tensor, DataType.Int64);
        return tensor.RawData.IsEmpty ? [.. tensor.Int64Data] : MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();
    }

    public static Half[] Halves(TensorProto tensor)
    {
        Require(tensor, DataType.Float16);
        return tensor.RawData.IsEmpty
            ? tensor.Int32Data.Select(bits => BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray()
            : MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span).ToArray();
    }

    /// <summary>A float32 initializer in <c>raw_data</c>; no dims for a scalar.</summary>
    public static TensorProto Float(string name, IEnumerable<long> dims, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.Add(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        return tensor;
    }

    private static void Require(TensorProto tensor, DataType type)
    {
        if ((DataType)tensor.DataType != type) throw Unexpected(tensor, type.ToString().ToLowerInvariant());
    }

    private static InvalidDataException Unexpected(TensorProto tensor, string expected) =>
        new($"ONNX initializer '{tensor.Name}' has data type {tensor.DataType}, expected {expected}.");
}
