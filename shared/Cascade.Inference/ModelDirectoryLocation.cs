namespace Cascade.Inference;

/// <summary>
/// Where the model packs live when no setting or option names a folder, and why there: <c>$CASCADE_MODEL_DIR</c>, else the
/// per-user data folder of the XDG base directory spec (<c>$XDG_DATA_HOME/cascade/models</c>, else
/// <c>~/.local/share/cascade/models</c>). Not the current folder: an installed <c>cascade</c> runs from anywhere, and one
/// set of packs should serve it from every folder. The repository's scripts keep theirs in <c>./.models</c> by setting
/// <c>CASCADE_MODEL_DIR</c>.
/// </summary>
public sealed record ModelDirectoryLocation(string Path, string Reason)
{
    public const string DataHomeVariable = "XDG_DATA_HOME";
    /// <summary>The lookup order in words, for option descriptions and documentation.</summary>
    public const string Order = $"${InferenceOptions.ModelDirectoryVariable}, else ${DataHomeVariable}/cascade/models, else ~/.local/share/cascade/models";

    public static ModelDirectoryLocation Default()
    {
        if (Environment.GetEnvironmentVariable(InferenceOptions.ModelDirectoryVariable) is { Length: > 0 } configured)
            return new(System.IO.Path.GetFullPath(configured), $"${InferenceOptions.ModelDirectoryVariable}");
        var dataHome = Environment.GetEnvironmentVariable(DataHomeVariable);
        if (dataHome is { Length: > 0 } && System.IO.Path.IsPathRooted(dataHome))
            return new(System.IO.Path.Combine(dataHome, "cascade", "models"), $"${DataHomeVariable}/cascade/models");
        // DoNotVerify: a home folder that does not exist yet is still where the packs go (pull creates the folders).
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (home.Length == 0)
            throw new ArgumentException(
                $"No home folder to keep the model packs in (HOME is not set): set {InferenceOptions.ModelDirectoryVariable} to a folder, or give --model-dir.");
        // The spec asks for a relative XDG_DATA_HOME to be ignored; the reason says so, or the user would not know why.
        var reason = dataHome is { Length: > 0 }
            ? $"the default; ${DataHomeVariable} '{dataHome}' is ignored: the XDG spec wants an absolute path"
            : "the default";
        return new(System.IO.Path.Combine(home, ".local", "share", "cascade", "models"), reason);
    }
}
