namespace Cascade.Cli.Commands;

/// <summary>An image to classify: its path, and the name to show, relative to the folder given on the command line (<c>teddy/x.jpg</c>).</summary>
internal sealed record ImageFile(string Path, string Name);
