namespace Watershed.Notifications.Domain;

// Twins of the watershed.notifications.v1 enums: the same names and numbers, without the zero.

public enum Channel
{
    Sms = 1,
    Email = 2,
    Webhook = 3,
}

public enum EventKind
{
    Assemblies = 1,
    Decisions = 2,
    PlanChanges = 3,
    Alerts = 4,
    Imports = 5,
}

public enum Language
{
    Es = 1,
    Qu = 2,
    En = 3,
}

public enum RecipientKind
{
    Member = 1,
    Watcher = 2,
}

public enum DeliveryState
{
    Queued = 1,
    Deferred = 2,
    Sending = 3,
    Sent = 4,
    Failed = 5,
}

public enum DeferReason
{
    QuietHours = 1,
    Digest = 2,
}

/// <summary>Consultation's proposal types, as the messages name them.</summary>
public enum ProposalKind
{
    General = 1,
    LandUseChange = 2,
    BudgetItem = 3,
    PlanApproval = 4,
}

public static class Languages
{
    /// <summary>A language tag as consultation records it (es-PE, qu-PE, quz, en); anything else is Spanish, the fallback.</summary>
    public static Language FromTag(string? tag)
    {
        var primary = (tag ?? string.Empty).Split('-', '_')[0].Trim().ToLowerInvariant();
        return primary switch
        {
            "qu" or "quz" or "quy" or "que" => Language.Qu,
            "en" => Language.En,
            _ => Language.Es,
        };
    }
}
