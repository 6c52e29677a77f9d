using Cascade.Contracts.Errors;

namespace Cascade.Imaging;

/// <summary>Why an image was refused. The string forms (<see cref="ErrorCodes"/>) are a stable API.</summary>
public enum ImageErrorCode
{
    Empty,
    TooLarge,
    TooManyPixels,
    UnsupportedFormat,
    Corrupt,
}

public static class ImageErrorCodes
{
    public static string ToCode(this ImageErrorCode code) => code switch
    {
        ImageErrorCode.Empty => ErrorCodes.ImageEmpty,
        ImageErrorCode.TooLarge => ErrorCodes.ImageTooLarge,
        ImageErrorCode.TooManyPixels => ErrorCodes.ImageTooManyPixels,
        ImageErrorCode.UnsupportedFormat => ErrorCodes.ImageUnsupportedFormat,
        ImageErrorCode.Corrupt => ErrorCodes.ImageCorrupt,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
