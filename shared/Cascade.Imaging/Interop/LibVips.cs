using System.Runtime.InteropServices;

namespace Cascade.Imaging.Interop;

/// <summary>
/// The few libvips and GLib entry points Cascade needs. Variadic C functions are declared with the
/// exact argument list we pass, ending in the NULL terminator; only pointers and ints go through the
/// varargs, which the System V x64 ABI passes in general registers like fixed arguments.
/// </summary>
internal static partial class LibVips
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Vips)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Vips)]
    internal static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Vips)]
    internal static partial void vips_leak_set([MarshalAs(UnmanagedType.Bool)] bool leak);

    [LibraryImport(Vips)]
    internal static partial nint vips_error_buffer();

    [LibraryImport(Vips)]
    internal static partial void vips_error_clear();

    [LibraryImport(Vips)]
    internal static unsafe partial nint vips_foreign_find_load_buffer(byte* data, nuint size);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial nint vips_image_new_from_buffer(byte* data, nuint size, string optionString, nint terminator);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_width(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_height(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_bands(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_format(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_interpretation(nint image);

    [LibraryImport(Vips)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool vips_image_hasalpha(nint image);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_int(nint image, string name, out int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int vips_thumbnail_buffer(
        byte* data, nuint size, out nint output, int width,
        string heightKey, int height,
        string sizeKey, int sizeMode,
        string optionKey, string optionString,
        nint terminator);

    [LibraryImport(Vips)]
    internal static partial int vips_autorot(nint input, out nint output, nint terminator);

    [LibraryImport(Vips)]
    internal static partial int vips_colourspace(nint input, out nint output, int space, nint terminator);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_flatten(nint input, out nint output, string backgroundKey, nint background, nint terminator);

    [LibraryImport(Vips)]
    internal static partial int vips_cast(nint input, out nint output, int format, nint terminator);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_extract_band(nint input, out nint output, int band, string countKey, int count, nint terminator);

    [LibraryImport(Vips)]
    internal static unsafe partial nint vips_array_double_new(double* array, int n);

    [LibraryImport(Vips)]
    internal static partial void vips_area_unref(nint area);

    [LibraryImport(Vips)]
    internal static partial nint vips_image_write_to_memory(nint image, out nuint size);

    [LibraryImport(Vips)]
    internal static unsafe partial nint vips_image_new_from_memory_copy(byte* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_copy(nint input, out nint output, string interpretationKey, int interpretation, nint terminator);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_int(nint image, string name, int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_write_to_buffer(nint image, string suffix, out nint buffer, out nuint size, nint terminator);

    [LibraryImport(GObject)]
    internal static partial void g_object_unref(nint obj);

    [LibraryImport(GLib)]
    internal static partial void g_free(nint mem);

    // Enum values from vips/image.h, vips/resample.h and vips/colour.h (stable across 8.x).
    internal const int FormatUChar = 0;
    internal const int SizeBoth = 0;
    internal const int SizeForce = 3;
    internal const int InterpretationSRgb = 22;
}
