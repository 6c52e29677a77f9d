using System.Text.RegularExpressions;
using Cascade.Contracts.Errors;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// What every front door (REST, gRPC, AMQP) accepts, checked in one place before anything is stored: the image's
/// size, the client request id and the reply queue.
/// </summary>
public static partial class SubmissionLimits
{
    public const int MaxClientRequestIdLength = 200;
    public const int MaxReplyToLength = 200;

    /// <summary>
    /// A queue name anyone may own: letters, digits, '.', '_', '-', ':'. Not ours (<c>cascade-*</c> are the services'
    /// queues, <c>cascade.submissions*</c> the front door) and not RabbitMQ's reserved <c>amq.*</c>.
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._:-]*$")]
    private static partial Regex QueueName();

    public static void CheckImage(int length, long maxBytes)
    {
        if (length == 0) throw new CascadeException(ErrorKind.InvalidInput, ErrorCodes.ImageEmpty, "The image is empty.");
        if (length > maxBytes)
            throw new CascadeException(ErrorKind.InvalidInput, ErrorCodes.ImageTooLarge, $"The image is {length} bytes; the limit is {maxBytes} (Orchestrator:MaxImageBytes).");
    }

    public static void CheckClientRequestId(string? id)
    {
        if (id is null) return;
        if (id.Length == 0 || id.Length > MaxClientRequestIdLength)
            throw Invalid($"The client request id must be 1 to {MaxClientRequestIdLength} characters, was {id.Length}.");
        if (id.Any(char.IsControl)) throw Invalid("The client request id contains control characters.");
    }

    public static void CheckReplyTo(string? replyTo)
    {
        if (replyTo is null) return;
        if (!IsValidReplyTo(replyTo, out var problem)) throw Invalid(problem);
    }

    public static bool IsValidReplyTo(string replyTo, out string problem)
    {
        problem = replyTo switch
        {
            { Length: 0 or > MaxReplyToLength } => $"replyTo must be 1 to {MaxReplyToLength} characters, was {replyTo.Length}.",
            _ when !QueueName().IsMatch(replyTo) => $"replyTo '{Shorten(replyTo)}' is not a queue name (letters, digits, '.', '_', '-', ':').",
            _ when replyTo.StartsWith("cascade-", StringComparison.OrdinalIgnoreCase) || replyTo.StartsWith("cascade.submissions", StringComparison.OrdinalIgnoreCase)
                => $"replyTo '{replyTo}' is one of Cascade's own queues.",
            _ when replyTo.StartsWith("amq.", StringComparison.OrdinalIgnoreCase) => $"replyTo '{replyTo}' is a name RabbitMQ reserves (amq.*).",
            _ => "",
        };
        return problem.Length == 0;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static CascadeException Invalid(string message) => new(ErrorKind.InvalidInput, ErrorCodes.InvalidArgument, message);
}
