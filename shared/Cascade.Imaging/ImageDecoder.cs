using System.Buffers;
using System.Runtime.InteropServices;
using NetVips;
using Vips = NetVips.NetVips;

namespace Cascade.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, GIF (first frame) and TIFF (every other libvips loader is blocked), applies EXIF
/// orientation, converts to 8-bit sRGB with 3 channels (alpha flattened on white) and resizes in the same pass
/// (shrink-on-load for JPEG). Thread-safe; never leaks native memory on errors.
/// </summary>
public sealed class ImageDecoder
{
    /// <summary>
    /// For <see cref="ResizeMode.ShortSideCrop"/>, only the centre of an image, at most this many times taller than
    /// wide (or wider than tall), is decoded and resized. The tensor writer crops the centre anyway, so photos within
    /// 4:1 are untouched; without the bound a 100x400,000 strip would be enlarged to 256x1,024,000 (786 MB).
    /// </summary>
    public const int MaxDecodedAspectRatio = 4;

    // A bound the thumbnail box never reaches on the unconstrained side.
    private const int Unbounded = 10_000_000;

    // Loader options for thumbnail: fail_on=error turns truncated or damaged data into an error instead of a
    // grey-filled image. Thumbnail's own failOn argument does not reach the loader; this option string does.
    private const string FailOnError = "fail_on=error";

    private readonly ImageLimits _limits;

    public ImageDecoder(ImageLimits? limits = null)
    {
        _limits = limits ?? ImageLimits.Default;
        _limits.Validate();
        VipsRuntime.EnsureInitialized();
    }

    public ImageLimits Limits => _limits;

    /// <summary>Decodes <paramref name="data"/> resized as <paramref name="spec"/> says (not yet cropped).</summary>
    /// <exception cref="ImageException">The image is empty, too large, undecodable or of an unsupported format.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> data, ResizeSpec spec)
    {
        if (data.IsEmpty) throw new ImageException(ImageErrorCode.Empty, "The image is empty (0 bytes).");
        if (data.Length > _limits.MaxBytes)
            throw new ImageException(ImageErrorCode.TooLarge, $"The image is {data.Length:N0} bytes; the limit is {_limits.MaxBytes:N0}.");

        // One native copy of the bytes, read twice: once for the header, once for the pixels.
        using var source = Source.NewFromMemory(data);
        // Blocked loaders are never found; checking the name as well keeps a refusal here if the blocking ever fails.
        var loader = Image.FindLoadSource(source);
        if (!VipsRuntime.IsAllowedSourceLoader(loader))
            throw new ImageException(ImageErrorCode.UnsupportedFormat,
                $"Not an image format this server decodes (JPEG, PNG, WebP, GIF, TIFF){(loader is null ? "" : $", not {loader}")}; first bytes: {Convert.ToHexString(data[..Math.Min(8, data.Length)])}.");

        try
        {
            var (width, height) = ReadOrientedSize(source);
            if ((long)width * height > _limits.MaxPixels)
                throw new ImageException(ImageErrorCode.TooManyPixels,
                    $"The image is {width}x{height} = {(long)width * height:N0} pixels; the limit is {_limits.MaxPixels:N0}.");
            if (Math.Max(width, height) > (long)Math.Min(width, height) * _limits.MaxAspectRatio)
                throw new ImageException(ImageErrorCode.TooManyPixels,
                    $"The image is {width}x{height}: its long side is over {_limits.MaxAspectRatio:N0} times its short side, the limit.");
            return DecodeResized(source, width, height, spec);
        }
        catch (VipsException e)
        {
            throw new ImageException(ImageErrorCode.Corrupt, $"The image data is corrupt or truncated: {e.Message.ReplaceLineEndings(" ").Trim()}");
        }
    }

    private static (int Width, int Height) ReadOrientedSize(Source source)
    {
        // Opening reads only the header; pixels are decoded lazily later.
        using var header = Image.NewFromSource(source);
        var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
        // EXIF orientations 5-8 rotate by 90 degrees.
        return orientation is >= 5 and <= 8 ? (header.Height, header.Width) : (header.Width, header.Height);
    }

    private static DecodedImage DecodeResized(Source source, int width, int height, ResizeSpec spec)
    {
        var (usedWidth, usedHeight) = spec.Mode == ResizeMode.ShortSideCrop ? CentreWithinAspect(width, height) : (width, height);
        var cropped = usedWidth != width || usedHeight != height;
        var (targetWidth, targetHeight) = TargetSize(usedWidth, usedHeight, spec);
        var image = targetWidth < usedWidth || targetHeight < usedHeight
            ? Shrink(source, spec, usedWidth <= usedHeight, targetWidth, targetHeight, cropped)
            : LoadUnscaled(source, usedWidth, usedHeight, cropped);
        image = ToSRgb(image);

        var decoded = ToPooled(image);
        if (decoded.Width > targetWidth || decoded.Height > targetHeight || (decoded.Width == targetWidth && decoded.Height == targetHeight))
            return decoded; // thumbnail output, or an image already at the target size
        using (decoded)
        {
            // Enlarging is done here, in managed code (see BilinearResize).
            (targetWidth, targetHeight) = TargetSize(decoded.Width, decoded.Height, spec);
            var resized = ArrayPool<byte>.Shared.Rent(targetWidth * targetHeight * 3);
            BilinearResize.Resize(decoded.Pixels, decoded.Width, decoded.Height, resized, targetWidth, targetHeight);
            return new DecodedImage(resized, targetWidth, targetHeight);
        }
    }

    /// <summary>The size of the centre window of a <paramref name="width"/> x <paramref name="height"/> image that is at most <see cref="MaxDecodedAspectRatio"/>:1.</summary>
    private static (int Width, int Height) CentreWithinAspect(int width, int height)
    {
        var longestUsed = (long)Math.Min(width, height) * MaxDecodedAspectRatio;
        return width <= height ? (width, (int)Math.Min(height, longestUsed)) : ((int)Math.Min(width, longestUsed), height);
    }

    /// <summary>
    /// Shrinking: libvips' thumbnail does shrink-on-load (JPEG DCT scaling) and a good reduce in one pass, and
    /// applies EXIF orientation (its box is in display orientation).
    /// </summary>
    /// <param name="upright">The image is taller than wide, or square, as displayed.</param>
    private static Image Shrink(Source source, ResizeSpec spec, bool upright, int targetWidth, int targetHeight, bool cropped)
    {
        if (spec.Mode == ResizeMode.Stretch) return Thumbnail(source, targetWidth, targetHeight, Enums.Size.Force);
        // Too elongated: scale to cover the target box, then cut its centre. Streams, so the strip outside costs no memory.
        if (cropped) return Thumbnail(source, targetWidth, targetHeight, Enums.Size.Both, Enums.Interesting.Centre);
        // Fit the short side; the long side follows the aspect.
        return upright
            ? Thumbnail(source, spec.ShortSide, Unbounded, Enums.Size.Both)
            : Thumbnail(source, Unbounded, spec.ShortSide, Enums.Size.Both);
    }

    /// <summary>Same size or enlarging: decode as is (the enlargement is done afterwards, in managed code).</summary>
    private static Image LoadUnscaled(Source source, int usedWidth, int usedHeight, bool cropped)
    {
        // A "down only" thumbnail to the window's own size never resamples: it only cuts the centre, streaming.
        if (cropped) return Thumbnail(source, usedWidth, usedHeight, Enums.Size.Down, Enums.Interesting.Centre);
        return Then(Image.NewFromSource(source, failOn: Enums.FailOn.Error), image => image.Autorot()); // fail_on as in FailOnError
    }

    private static Image Thumbnail(Source source, int width, int height, Enums.Size size, Enums.Interesting crop = Enums.Interesting.None) =>
        Image.ThumbnailSource(source, width, FailOnError, height: height, size: size, crop: crop);

    /// <summary>The size the decoded image should have: short side scaled to <see cref="ResizeSpec.ShortSide"/>, or exactly the tensor size.</summary>
    private static (int Width, int Height) TargetSize(int width, int height, ResizeSpec spec)
    {
        if (spec.Mode == ResizeMode.Stretch) return (spec.Width, spec.Height);
        var scale = (double)spec.ShortSide / Math.Min(width, height);
        return width <= height
            ? (spec.ShortSide, Math.Max(spec.ShortSide, (int)Math.Round(height * scale)))
            : (Math.Max(spec.ShortSide, (int)Math.Round(width * scale)), spec.ShortSide);
    }

    /// <summary>Converts any decoded image (grey, CMYK, 16-bit, with alpha) to 8-bit sRGB with exactly 3 bands.</summary>
    private static Image ToSRgb(Image image)
    {
        if (image.Interpretation != Enums.Interpretation.Srgb || image.Format != Enums.BandFormat.Uchar)
            image = Then(image, i => i.Colourspace(Enums.Interpretation.Srgb));
        if (image.HasAlpha()) image = Then(image, i => i.Flatten(background: [255, 255, 255]));
        if (image.Format != Enums.BandFormat.Uchar) image = Then(image, i => i.Cast(Enums.BandFormat.Uchar));
        if (image.Bands != 3) image = Then(image, i => i.ExtractBand(0, n: 3));
        return image;
    }

    /// <summary>Runs the pipeline (pixels are decoded here, so decode errors surface now) into a pooled buffer; disposes <paramref name="image"/>.</summary>
    private static DecodedImage ToPooled(Image image)
    {
        using (image)
        {
            var memory = image.WriteToMemory(out var size);
            try
            {
                var byteCount = image.Width * image.Height * 3;
                if ((ulong)byteCount != size) throw new InvalidOperationException($"libvips returned {size} bytes for a {image.Width}x{image.Height} RGB image.");
                var pixels = ArrayPool<byte>.Shared.Rent(byteCount);
                Marshal.Copy(memory, pixels, 0, byteCount);
                return new DecodedImage(pixels, image.Width, image.Height);
            }
            finally
            {
                Vips.Free(memory);
            }
        }
    }

    /// <summary>
    /// One pipeline step: <paramref name="image"/> is disposed once the next image exists (or the step failed);
    /// libvips keeps what the next image still reads from alive through its own references.
    /// </summary>
    private static Image Then(Image image, Func<Image, Image> step)
    {
        using (image) return step(image);
    }
}
