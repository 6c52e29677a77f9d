namespace Cascade.Services.Tests.Faults;

/// <summary>The services the fault tests run as separate processes; the name is the project's (services/NAME/Cascade.NAME.dll).</summary>
public enum CascadeService
{
    Gate,
    Classifier,
    Orchestrator,
}
