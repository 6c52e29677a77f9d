namespace Cascade.Contracts;

/// <summary>A message about one submission: logs about it carry its id (see SubmissionLogScopeFilter).</summary>
public interface ISubmissionMessage
{
    Guid SubmissionId { get; }
}
