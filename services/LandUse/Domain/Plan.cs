using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>
/// A land-use plan (plan de ordenamiento territorial) of one watershed and its numbered versions.
/// At most one version is open (draft or in consultation) and at most one is approved; approving a
/// version supersedes the one approved before it.
/// </summary>
public sealed class Plan
{
    public const int MaxTitleLength = 200;

    private readonly List<PlanVersion> _versions = [];

    private Plan(Guid id, Guid watershedId, string title, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedId = watershedId;
        Title = title;
        CreatedAt = createdAt;
    }

    public Guid Id { get; }

    public Guid WatershedId { get; }

    /// <summary>A label, not approved content: it may change in any state.</summary>
    public string Title { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>By number, oldest first.</summary>
    public IReadOnlyList<PlanVersion> Versions => _versions;

    /// <summary>The version in force, if any has been approved.</summary>
    public PlanVersion? ApprovedVersion => _versions.SingleOrDefault(v => v.State == PlanVersionState.Approved);

    /// <summary>The draft or the version in consultation, if any.</summary>
    public PlanVersion? OpenVersion =>
        _versions.SingleOrDefault(v => v.State is PlanVersionState.Draft or PlanVersionState.InConsultation);

    public PlanVersion Latest => _versions.MaxBy(v => v.Number)!;

    private string Subject => $"plans/{Id}";

    /// <summary>A plan with version 1 as an empty draft.</summary>
    /// <exception cref="InvalidArgumentException">The title, horizon or a goal breaks a rule.</exception>
    public static Plan Create(Guid id, WatershedUnit watershed, string title, PlanHorizon horizon,
        IReadOnlyList<string> goals, Guid firstVersionId, DateTimeOffset now)
    {
        // Every violation at once, the title's and the content's, so the form is fixed in one pass.
        var violations = PlanVersion.ContentViolations(horizon, goals);
        if (TitleViolation(title) is { } titleViolation)
        {
            violations.Insert(0, titleViolation);
        }

        if (violations.Count > 0)
        {
            throw new InvalidArgumentException(violations);
        }

        var plan = new Plan(id, watershed.Id, title.Trim(), now);
        IReadOnlyList<string> cleanGoals = [.. goals.Select(g => g.Trim())];
        plan._versions.Add(new PlanVersion(firstVersionId, id, 1, null, horizon, cleanGoals, [], now));
        return plan;
    }

    public void Retitle(string title) => Title = CheckTitle(title);

    public PlanVersion Version(Guid versionId) =>
        _versions.SingleOrDefault(v => v.Id == versionId)
        ?? throw new NotFoundException("plan_version", versionId.ToString());

    /// <summary>
    /// A new draft numbered after the latest version, holding a copy of the latest version's horizon,
    /// goals and zones (so a withdrawn version can be revised and consulted again). The latest version's
    /// zones must be loaded.
    /// </summary>
    /// <exception cref="PlanRuleException">A draft or a version in consultation exists.</exception>
    public PlanVersion StartNewVersion(Guid versionId, DateTimeOffset now)
    {
        if (OpenVersion is { } open)
        {
            throw new PlanRuleException("OPEN_VERSION_EXISTS", Subject,
                $"Version {open.Number} is {PlanVersion.Describe(open.State)}; decide or withdraw it before starting another.");
        }

        var draft = Latest.CopyAsDraft(versionId, Latest.Number + 1, now);
        _versions.Add(draft);
        return draft;
    }

    /// <summary>Freezes a draft and puts it to consultation; its zones must be clean against the boundary.</summary>
    public void SubmitForConsultation(Guid versionId, WatershedUnit watershed, DateTimeOffset now)
    {
        if (watershed.Id != WatershedId)
        {
            throw new PlanRuleException("WATERSHED_MISMATCH", Subject, "The plan belongs to another watershed.");
        }

        Version(versionId).Submit(watershed, now);
    }

    /// <summary>Ends a consultation without approval (the assembly rejected it or the proposal was withdrawn).</summary>
    public void Withdraw(Guid versionId, string reason, DateTimeOffset now) => Version(versionId).Withdraw(reason, now);

    /// <summary>Approves a version in consultation and supersedes the version approved before it.</summary>
    /// <param name="approval">From <see cref="PlanApprovalRule.Evaluate"/>: the consultation's decision for this version.</param>
    /// <returns>The version superseded, if one was approved before.</returns>
    public PlanVersion? Approve(PlanApproval approval, DateTimeOffset now)
    {
        var version = Version(approval.VersionId);
        var previous = ApprovedVersion;
        version.Approve(approval, now);
        previous?.Supersede(now);
        return previous;
    }

    private static string CheckTitle(string title) =>
        TitleViolation(title) is { } violation ? throw new InvalidArgumentException([violation]) : title.Trim();

    private static FieldViolation? TitleViolation(string title) =>
        string.IsNullOrWhiteSpace(title) || title.Trim().Length > MaxTitleLength
            ? new FieldViolation("title", $"A plan's title has 1–{MaxTitleLength} characters.")
            : !TextRules.IsOneLine(title.Trim())
                ? new FieldViolation("title", $"A plan's title {TextRules.OneLineRule}.")
                : null;
}
