using System.Text;

namespace Cascade.Grpc.Protocol;

/// <summary>The <c>grpc-message</c> value: UTF-8, percent-encoded outside printable ASCII (and '%').</summary>
public static class GrpcStatusMessage
{
    public static string Encode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2"));
        }
        return text.ToString();
    }

    public static string Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded)) return "";
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length && Uri.IsHexDigit(encoded[i + 1]) && Uri.IsHexDigit(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add((byte)encoded[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
