namespace Cascade.Imaging;

/// <summary>An image that cannot be used, with a stable <see cref="ErrorCode"/> and a human message.</summary>
public sealed class ImageException(ImageErrorCode code, string message) : Exception(message)
{
    public ImageErrorCode Code { get; } = code;

    /// <summary>Stable string code, e.g. <c>IMAGE_CORRUPT</c>.</summary>
    public string ErrorCode => Code.ToCode();
}
