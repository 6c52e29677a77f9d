namespace Cascade.Cli;

/// <summary>
/// A command that was used correctly but could not do its work (no server, a port in use, a native library missing):
/// one <c>error: ...</c> line with the cause and, where there is one, the fix, and exit code 1.
/// </summary>
public sealed class CommandFailedException(string message, Exception? cause = null) : Exception(message, cause);
