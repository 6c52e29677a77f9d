using System.Buffers;
using System.Runtime.InteropServices;
using Cascade.Imaging.Interop;

namespace Cascade.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, GIF (first frame), TIFF and whatever else the installed libvips loads,
/// applies EXIF orientation, converts to 8-bit sRGB with 3 channels (alpha flattened on white) and
/// resizes in the same pass (shrink-on-load for JPEG). Thread-safe; never leaks native memory on errors.
/// </summary>
public sealed class ImageDecoder
{
    // A bound the thumbnail box never reaches on the unconstrained side.
    private const int Unbounded = 10_000_000;

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
    public unsafe DecodedImage Decode(ReadOnlySpan<byte> data, ResizeSpec spec)
    {
        if (data.IsEmpty) throw new ImageException(ImageErrorCode.Empty, "The image is empty (0 bytes).");
        if (data.Length > _limits.MaxBytes)
            throw new ImageException(ImageErrorCode.TooLarge, $"The image is {data.Length:N0} bytes; the limit is {_limits.MaxBytes:N0}.");

        fixed (byte* bytes = data)
        {
            var length = (nuint)data.Length;
            if (LibVips.vips_foreign_find_load_buffer(bytes, length) == 0)
            {
                VipsRuntime.TakeError();
                throw new ImageException(ImageErrorCode.UnsupportedFormat,
                    $"Not an image format this server decodes (JPEG, PNG, WebP, GIF, TIFF); first bytes: {Convert.ToHexString(data[..Math.Min(8, data.Length)])}.");
            }

            var (width, height) = ReadOrientedSize(bytes, length);
            if ((long)width * height > _limits.MaxPixels)
                throw new ImageException(ImageErrorCode.TooManyPixels,
                    $"The image is {width}x{height} = {(long)width * height:N0} pixels; the limit is {_limits.MaxPixels:N0}.");

            return DecodeResized(bytes, length, width, height, spec);
        }
    }

    private static unsafe (int Width, int Height) ReadOrientedSize(byte* bytes, nuint length)
    {
        // Opening from a buffer reads only the header; pixels are decoded lazily later.
        var header = LibVips.vips_image_new_from_buffer(bytes, length, "", 0);
        if (header == 0) throw new ImageException(ImageErrorCode.Corrupt, $"The image header cannot be read: {VipsRuntime.TakeError()}");
        try
        {
            var width = LibVips.vips_image_get_width(header);
            var height = LibVips.vips_image_get_height(header);
            if (LibVips.vips_image_get_int(header, "orientation", out var orientation) != 0)
            {
                VipsRuntime.TakeError();
                orientation = 1;
            }
            // EXIF orientations 5-8 rotate by 90 degrees.
            return orientation is >= 5 and <= 8 ? (height, width) : (width, height);
        }
        finally
        {
            LibVips.g_object_unref(header);
        }
    }

    private static unsafe DecodedImage DecodeResized(byte* bytes, nuint length, int width, int height, ResizeSpec spec)
    {
        var (targetWidth, targetHeight) = TargetSize(width, height, spec);
        using var images = new NativeImageChain();
        nint image;
        if (targetWidth < width || targetHeight < height)
        {
            // Shrinking: libvips' thumbnail does shrink-on-load (JPEG DCT scaling) and a good reduce in one pass.
            var (boxWidth, boxHeight, sizeMode) = spec.Mode == ResizeMode.Stretch
                ? (targetWidth, targetHeight, LibVips.SizeForce)
                : (width <= height ? (spec.ShortSide, Unbounded, LibVips.SizeBoth) : (Unbounded, spec.ShortSide, LibVips.SizeBoth));
            // fail_on=error turns truncated or damaged data into an error instead of a grey-filled image.
            Check(LibVips.vips_thumbnail_buffer(bytes, length, out image, boxWidth, "height", boxHeight, "size", sizeMode,
                "option_string", "fail_on=error", 0), image, images);
        }
        else
        {
            // Same size or enlarging: decode as is; the enlargement is done below in managed code.
            image = LibVips.vips_image_new_from_buffer(bytes, length, "fail_on=error", 0);
            Check(image == 0 ? -1 : 0, image, images);
            Check(LibVips.vips_autorot(image, out image, 0), image, images);
        }
        image = ToSRgb(image, images);

        // Pixels are decoded here; decode errors in the data surface now.
        var memory = LibVips.vips_image_write_to_memory(image, out var size);
        if (memory == 0) throw Corrupt();
        try
        {
            var decodedWidth = LibVips.vips_image_get_width(image);
            var decodedHeight = LibVips.vips_image_get_height(image);
            var byteCount = decodedWidth * decodedHeight * 3;
            if ((nuint)byteCount != size) throw new InvalidOperationException($"libvips returned {size} bytes for a {decodedWidth}x{decodedHeight} RGB image.");
            var decoded = new ReadOnlySpan<byte>((void*)memory, byteCount);
            if (decodedWidth > targetWidth || decodedHeight > targetHeight || (decodedWidth == targetWidth && decodedHeight == targetHeight))
            {
                // Thumbnail output, or an image already at the target size.
                var pixels = ArrayPool<byte>.Shared.Rent(byteCount);
                decoded.CopyTo(pixels);
                return new DecodedImage(pixels, decodedWidth, decodedHeight);
            }
            (targetWidth, targetHeight) = TargetSize(decodedWidth, decodedHeight, spec);
            var resized = ArrayPool<byte>.Shared.Rent(targetWidth * targetHeight * 3);
            BilinearResize.Resize(decoded, decodedWidth, decodedHeight, resized, targetWidth, targetHeight);
            return new DecodedImage(resized, targetWidth, targetHeight);
        }
        finally
        {
            LibVips.g_free(memory);
        }
    }

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
    private static unsafe nint ToSRgb(nint image, NativeImageChain images)
    {
        if (LibVips.vips_image_get_interpretation(image) != LibVips.InterpretationSRgb || LibVips.vips_image_get_format(image) != LibVips.FormatUChar)
            Check(LibVips.vips_colourspace(image, out image, LibVips.InterpretationSRgb, 0), image, images);

        if (LibVips.vips_image_hasalpha(image))
        {
            var white = stackalloc double[] { 255, 255, 255 };
            var background = LibVips.vips_array_double_new(white, 3);
            try
            {
                Check(LibVips.vips_flatten(image, out image, "background", background, 0), image, images);
            }
            finally
            {
                LibVips.vips_area_unref(background);
            }
        }

        if (LibVips.vips_image_get_format(image) != LibVips.FormatUChar)
            Check(LibVips.vips_cast(image, out image, LibVips.FormatUChar, 0), image, images);
        if (LibVips.vips_image_get_bands(image) != 3)
            Check(LibVips.vips_extract_band(image, out image, 0, "n", 3, 0), image, images);
        return image;
    }

    private static void Check(int status, nint image, NativeImageChain images)
    {
        if (status != 0) throw Corrupt();
        images.Add(image);
    }

    private static ImageException Corrupt() =>
        new(ImageErrorCode.Corrupt, $"The image data is corrupt or truncated: {VipsRuntime.TakeError()}");

    /// <summary>Owns every intermediate VipsImage of one decode, so each is unreferenced exactly once.</summary>
    private sealed class NativeImageChain : IDisposable
    {
        private readonly List<nint> _images = new(6);

        public void Add(nint image) => _images.Add(image);

        public void Dispose()
        {
            for (var i = _images.Count - 1; i >= 0; i--) LibVips.g_object_unref(_images[i]);
        }
    }
}
