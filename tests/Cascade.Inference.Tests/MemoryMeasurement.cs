namespace Cascade.Inference.Tests;

/// <summary>Tests that read process memory run alone: a parallel test loading a model would look like a leak.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}
