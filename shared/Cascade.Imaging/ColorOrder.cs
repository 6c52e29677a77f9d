namespace Cascade.Imaging;

public enum ColorOrder
{
    Rgb,
    Bgr,
}
