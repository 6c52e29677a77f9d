namespace Cascade.StageHosting;

/// <summary>A stage's model loading in the background, whatever the stage: for a host that must not serve before its models load (`cascade serve`).</summary>
public interface ILoadedModel
{
    string Name { get; }

    /// <summary>Completes when the model is loaded; faults with the load's error (a missing or broken pack).</summary>
    Task Loading { get; }
}
