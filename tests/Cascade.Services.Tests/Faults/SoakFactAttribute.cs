namespace Cascade.Services.Tests.Faults;

/// <summary>
/// The soak benchmark (<see cref="SoakRun"/>: a quarter of an hour, not a test): it runs only with CASCADE_SOAK=1, so
/// the default suite stays fast. docs/benchmarks.md's soak numbers come from it.
/// </summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public const string Variable = "CASCADE_SOAK";

    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"soak benchmark (about 15 minutes); set {Variable}=1 to run it";
    }
}
