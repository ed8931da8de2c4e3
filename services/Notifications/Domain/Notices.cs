namespace Watershed.Notifications.Domain;

/// <summary>What an event tells people, in the words and names it carries: the input of the templates.</summary>
public abstract record Notice(EventKind Kind, string WatershedCode);

public sealed record AssemblyConvenedNotice(string WatershedCode, string Title, string Place, DateTimeOffset? ScheduledAt, IReadOnlyList<string> Agenda)
    : Notice(EventKind.Assemblies, WatershedCode);

public sealed record BallotClosedNotice(string WatershedCode, string ProposalTitle, bool Approved, int Yes, int No, int Abstain, int Block, int Cast)
    : Notice(EventKind.Decisions, WatershedCode);

public sealed record ProposalDecidedNotice(string WatershedCode, string Title, ProposalKind Type, bool Approved)
    : Notice(EventKind.Decisions, WatershedCode);

public sealed record PlanVersionNotice(string WatershedCode, string PlanTitle, int Number, int ZoneCount, double AreaHectares, bool Approved)
    : Notice(EventKind.PlanChanges, WatershedCode);

/// <param name="ObservedValue">The figure as indicators wrote it (decimal text).</param>
/// <param name="IsPercent">The figure is a share of households (0–100).</param>
/// <param name="Period">2026, 2026Q1 or 202603.</param>
public sealed record AlertNotice(string WatershedCode, string AreaName, string Condition, string ObservedValue, bool IsPercent, string Period, int Households, bool Raised)
    : Notice(EventKind.Alerts, WatershedCode);

public sealed record ImportNotice(string WatershedCode, string RoundName, int StoredRows, int AreaCount)
    : Notice(EventKind.Imports, WatershedCode);
