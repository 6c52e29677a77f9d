namespace Cascade.AllInOne;

/// <summary>Which services one process hosts.</summary>
[Flags]
public enum CascadeRoles
{
    Gate = 1,
    Classifier = 2,
    Orchestrator = 4,
    All = Gate | Classifier | Orchestrator,
}
