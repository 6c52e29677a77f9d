using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Cascade.Grpc.Protocol;

/// <summary>Length-prefixed messages: 1 byte compressed flag, 4 bytes big-endian length, then the message.</summary>
public static class GrpcFrames
{
    public const int PrefixLength = 5;

    public static void Write(PipeWriter writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(PrefixLength + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(PrefixLength, size));
        writer.Advance(PrefixLength + size);
    }

    public static byte[] ToArray(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[PrefixLength + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)size);
        message.WriteTo(frame.AsSpan(PrefixLength));
        return frame;
    }

    /// <summary>
    /// Reads the next message, or returns null at a clean end of stream.
    /// Throws <see cref="GrpcException"/>: RESOURCE_EXHAUSTED over <paramref name="maxMessageSize"/>, UNIMPLEMENTED
    /// for a compressed message, INTERNAL for a truncated frame or bytes that do not parse.
    /// </summary>
    public static async ValueTask<T?> ReadAsync<T>(PipeReader reader, MessageParser<T> parser, int maxMessageSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (buffer.Length >= PrefixLength)
            {
                var (flag, length) = ReadPrefix(buffer);
                if (flag == 1)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new GrpcException(GrpcStatusCode.Unimplemented, "Compressed messages are not supported; use grpc-encoding identity.");
                }
                if (flag != 0)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new GrpcException(GrpcStatusCode.Internal, $"Invalid compressed flag {flag} in a message prefix.");
                }
                if (length > maxMessageSize)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"Received message of {length} bytes is larger than the limit of {maxMessageSize} bytes.");
                }
                if (buffer.Length >= PrefixLength + length)
                {
                    var body = buffer.Slice(PrefixLength, length);
                    T message;
                    try
                    {
                        message = parser.ParseFrom(body);
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        throw new GrpcException(GrpcStatusCode.Internal, $"The request message does not parse as {typeof(T).Name}: {e.Message}");
                    }
                    finally
                    {
                        reader.AdvanceTo(body.End);
                    }
                    return message;
                }
            }
            if (read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (buffer.Length == 0) return null;
                throw new GrpcException(GrpcStatusCode.Internal, $"The stream ended inside a message frame ({buffer.Length} bytes of an incomplete frame).");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (byte Flag, uint Length) ReadPrefix(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return (prefix[0], BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]));
    }
}
