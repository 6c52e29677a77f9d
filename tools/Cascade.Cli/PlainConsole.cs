using Spectre.Console;

namespace Cascade.Cli;

/// <summary>
/// Output for a pipe or a file: no ANSI codes and no wrapping at 80 columns (Spectre.Console's guess when stdout is not a
/// terminal), so `cascade classify folder/ > out.txt` and `| grep` see whole, plain lines.
/// </summary>
public static class PlainConsole
{
    /// <summary>Wide enough for any row; a table is only as wide as its content needs.</summary>
    private const int RedirectedWidth = 4096;

    public static void UseWhenRedirected()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        AnsiConsole.Console.Profile.Width = RedirectedWidth;
    }
}
