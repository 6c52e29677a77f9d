namespace Cascade.Training.Tests;

/// <summary>
/// A test on all of ../shared/data (minutes, not seconds): it runs only with CASCADE_FULL_TRAINING=1,
/// so the default suite stays fast. The README's numbers come from these tests.
/// </summary>
public sealed class FullDataFactAttribute : FactAttribute
{
    public const string Variable = "CASCADE_FULL_TRAINING";

    /// <summary>Why a full-data test is skipped now; null when <see cref="Variable"/> asks for it to run.</summary>
    public static string? SkipReason => Environment.GetEnvironmentVariable(Variable) == "1" ? null : $"full-data measurement; set {Variable}=1 to run it";

    public FullDataFactAttribute() => Skip = SkipReason;
}

/// <summary>A <see cref="FullDataFactAttribute"/> with data: runs only with CASCADE_FULL_TRAINING=1.</summary>
public sealed class FullDataTheoryAttribute : TheoryAttribute
{
    public FullDataTheoryAttribute() => Skip = FullDataFactAttribute.SkipReason;
}
