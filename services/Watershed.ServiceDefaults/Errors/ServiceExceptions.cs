namespace Watershed.ServiceDefaults.Errors;

/// <summary>
/// Failures the domain and the gRPC layer raise on purpose. The error interceptor turns each into
/// its gRPC status with google.rpc details; anything else becomes INTERNAL without internals.
/// </summary>
public abstract class ServiceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One faulty field: its contract path (snake_case, dotted, [i] for list items) and what is wrong in words.</summary>
public sealed record FieldViolation(string Field, string Description)
{
    public FieldViolation Under(string prefix) =>
        this with { Field = Field.Length == 0 ? prefix : Field.StartsWith('[') ? prefix + Field : $"{prefix}.{Field}" };

    public override string ToString() => $"{Field}: {Description}";
}

/// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest listing every violated field.</summary>
public class InvalidArgumentException(IReadOnlyList<FieldViolation> violations)
    : ServiceException(Summarise(violations))
{
    public InvalidArgumentException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    /// <summary>
    /// The same violations with their paths nested under <paramref name="prefix"/>, for a handler that hands a
    /// nested message (e.g. <c>zone</c>) to a domain rule naming its own attributes (<c>geometry</c> → <c>zone.geometry</c>).
    /// </summary>
    public InvalidArgumentException Under(string prefix) =>
        new([.. Violations.Select(v => v.Under(prefix))]);

    private static string Summarise(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} invalid fields: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}";
}

/// <summary>NOT_FOUND with a google.rpc.ResourceInfo.</summary>
public sealed class NotFoundException(string resourceType, string resourceName)
    : ServiceException($"{resourceType} '{resourceName}' was not found")
{
    public string ResourceType { get; } = resourceType;
    public string ResourceName { get; } = resourceName;
}

/// <summary>FAILED_PRECONDITION: the request is well formed but the system is not in a state that allows it.</summary>
public class PreconditionFailedException(string type, string subject, string description)
    : ServiceException(description)
{
    public string Type { get; } = type;
    public string Subject { get; } = subject;
}

/// <summary>ALREADY_EXISTS: the thing the caller tried to create exists already.</summary>
public sealed class AlreadyExistsException(string resourceType, string resourceName, string description)
    : ServiceException(description)
{
    public string ResourceType { get; } = resourceType;
    public string ResourceName { get; } = resourceName;
}

/// <summary>PERMISSION_DENIED: authenticated, but not allowed to do this here.</summary>
public sealed class PermissionDeniedException(string message) : ServiceException(message);

/// <summary>ABORTED: another request changed the object between this one's read and write; read again and retry.</summary>
public sealed class ConcurrencyConflictException(string resourceType, string resourceName, Exception? inner = null)
    : ServiceException($"The {resourceType} was changed by another request; read it again and retry.", inner)
{
    public string ResourceType { get; } = resourceType;
    public string ResourceName { get; } = resourceName;
}

/// <summary>UNAVAILABLE: a dependency (another service) could not be reached; the caller may retry. The dependency's own error is the inner exception.</summary>
public sealed class DependencyUnavailableException(string dependency, string message, Exception? inner = null)
    : ServiceException(message, inner)
{
    public string Dependency { get; } = dependency;
}
