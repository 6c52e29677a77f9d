namespace Cascade.Training.Tests;

/// <summary>
/// A test on all of ../shared/data (minutes, not seconds): it runs only with CASCADE_FULL_TRAINING=1,
/// so the default suite stays fast. The README's numbers come from these tests.
/// </summary>
public sealed class FullDataFactAttribute : FactAttribute
{
    public const string Variable = "CASCADE_FULL_TRAINING";

    public FullDataFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"full-data measurement; set {Variable}=1 to run it";
    }
}

/// <summary>A <see cref="FullDataFactAttribute"/> with data: runs only with CASCADE_FULL_TRAINING=1.</summary>
public sealed class FullDataTheoryAttribute : TheoryAttribute
{
    public FullDataTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(FullDataFactAttribute.Variable) != "1") Skip = $"full-data measurement; set {FullDataFactAttribute.Variable}=1 to run it";
    }
}
