using Cascade.Contracts.Errors;

namespace Cascade.Imaging;

/// <summary>An image that cannot be used: always invalid input, with a stable code such as <c>IMAGE_CORRUPT</c>.</summary>
public sealed class ImageException(ImageErrorCode code, string message) : CascadeException(ErrorKind.InvalidInput, code.ToCode(), message)
{
    public ImageErrorCode Code { get; } = code;
}
