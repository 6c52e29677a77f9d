namespace Cascade.Imaging;

/// <summary>Why an image was refused. The string forms (<see cref="ImageErrorCodes"/>) are a stable API.</summary>
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
        ImageErrorCode.Empty => "IMAGE_EMPTY",
        ImageErrorCode.TooLarge => "IMAGE_TOO_LARGE",
        ImageErrorCode.TooManyPixels => "IMAGE_TOO_MANY_PIXELS",
        ImageErrorCode.UnsupportedFormat => "IMAGE_UNSUPPORTED_FORMAT",
        ImageErrorCode.Corrupt => "IMAGE_CORRUPT",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static bool TryParse(string? text, out ImageErrorCode code)
    {
        foreach (var candidate in Enum.GetValues<ImageErrorCode>())
        {
            if (candidate.ToCode() == text)
            {
                code = candidate;
                return true;
            }
        }
        code = default;
        return false;
    }
}
