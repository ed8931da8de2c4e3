using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>
/// The request is well formed but the plan is not in a state that allows it (FAILED_PRECONDITION).
/// <see cref="PreconditionFailedException.Type"/> is a stable reason code, <see cref="PreconditionFailedException.Subject"/> the resource name.
/// </summary>
public sealed class PlanRuleException(string type, string subject, string description)
    : PreconditionFailedException(type, subject, description);
