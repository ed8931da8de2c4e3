using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>draft → in consultation → approved → superseded; a version in consultation may be withdrawn instead.</summary>
public enum PlanVersionState
{
    Draft = 1,
    InConsultation = 2,
    Approved = 3,
    Superseded = 4,
    Withdrawn = 5,
}

/// <summary>The years a plan covers, e.g. 2026–2036.</summary>
public sealed record PlanHorizon(int FromYear, int ToYear)
{
    public const int EarliestYear = 2000;
    public const int LatestYear = 2100;

    internal FieldViolation? Check() => FromYear < EarliestYear || ToYear > LatestYear || FromYear > ToYear
        ? new FieldViolation("horizon", $"The horizon runs from one year to a later or equal one, within {EarliestYear}–{LatestYear}.")
        : null;
}

/// <summary>
/// One numbered version of a plan: the horizon, goals and zones an assembly is asked to approve.
/// Only a draft changes; from submission to consultation on it is frozen, so what was consulted
/// is exactly what gets approved. The content is versioned (not kept on the plan) for the same reason.
/// </summary>
public sealed class PlanVersion
{
    public const int MaxGoals = 30;

    /// <summary>The most zones a version holds (a whole watershed zoned at community scale has a few hundred).</summary>
    public const int MaxZones = 5000;
    public const int MaxGoalLength = 1000;

    private readonly List<Zone> _zones;

    // For the database mapping, which fills the fields itself.
    private PlanVersion()
    {
        _zones = [];
        Horizon = null!;
        Goals = [];
    }

    internal PlanVersion(Guid id, Guid planId, int number, Guid? basedOnVersionId, PlanHorizon horizon,
        IReadOnlyList<string> goals, IEnumerable<Zone> zones, DateTimeOffset createdAt)
    {
        Id = id;
        PlanId = planId;
        Number = number;
        BasedOnVersionId = basedOnVersionId;
        Horizon = horizon;
        Goals = goals;
        _zones = [.. zones];
        CreatedAt = createdAt;
    }

    public Guid Id { get; }

    public Guid PlanId { get; }

    /// <summary>1, 2, 3 … within the plan.</summary>
    public int Number { get; }

    /// <summary>The version this draft was copied from; null for a plan's first version.</summary>
    public Guid? BasedOnVersionId { get; }

    public PlanVersionState State { get; private set; } = PlanVersionState.Draft;

    public PlanHorizon Horizon { get; private set; }

    public IReadOnlyList<string> Goals { get; private set; }

    public IReadOnlyList<Zone> Zones => _zones;

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public DateTimeOffset? SupersededAt { get; private set; }

    /// <summary>Why consultation ended without approval, for the record.</summary>
    public string? WithdrawalReason { get; private set; }

    /// <summary>The consultation proposal (type PLAN_APPROVAL) whose approval approved this version.</summary>
    public Guid? ApprovedByProposalId { get; private set; }

    /// <summary>
    /// Approving again with the decision that approved it is the same request repeated (the assembly's decision
    /// may have arrived as an event first): it is answered with the version as it is, and changes nothing.
    /// </summary>
    public bool IsApprovedBy(Guid proposalId) =>
        State is PlanVersionState.Approved or PlanVersionState.Superseded && ApprovedByProposalId == proposalId;

    public double AreaHectares => _zones.Sum(z => z.AreaHectares);

    private string Subject => $"plans/{PlanId}/versions/{Number}";

    /// <exception cref="InvalidArgumentException">The horizon or a goal breaks a rule.</exception>
    public void Revise(PlanHorizon horizon, IReadOnlyList<string> goals)
    {
        RequireDraft("revised");
        var clean = CheckContent(horizon, goals);
        Horizon = horizon;
        Goals = clean;
    }

    /// <summary>Adds a zone with this content, or replaces the zone with the same code.</summary>
    /// <exception cref="InvalidArgumentException">
    /// The content breaks a zone's rules, or the zone overlaps another or reaches outside the boundary.
    /// </exception>
    public Zone PutZone(Guid zoneId, ZoneContent content, WatershedUnit watershed)
    {
        RequireDraft("edited");
        var zone = Zone.Create(zoneId, content);
        var zones = _zones.Where(z => z.Code != zone.Code).Append(zone).ToList();
        if (zones.Count > MaxZones)
        {
            throw new PlanRuleException("ZONE_LIMIT", Subject, $"A version holds at most {MaxZones} zones.");
        }

        var report = ZoneLayout.Check(zones, watershed.Boundary).Involving(zone.Code);
        if (!report.IsClean)
        {
            throw new InvalidArgumentException(report.ToViolations());
        }

        _zones.Clear();
        _zones.AddRange(zones);
        return zone;
    }

    public void RemoveZone(string code)
    {
        RequireDraft("edited");
        if (_zones.RemoveAll(z => z.Code == code) == 0)
        {
            throw new NotFoundException("zone", $"{Subject}/zones/{code}");
        }
    }

    /// <summary>
    /// Replaces every zone with the features of a layer (a GeoJSON FeatureCollection unless told otherwise; see
    /// <see cref="ZoneLayers"/>): all of them or none.
    /// </summary>
    /// <exception cref="InvalidArgumentException">
    /// Every fault of the file, named by its path in the file ("features[3].geometry"; "" for the file as a whole).
    /// </exception>
    /// <returns>The zones imported, and the properties of the file that were not.</returns>
    public ZoneImport ImportZones(ReadOnlyMemory<byte> file, WatershedUnit watershed, LayerFormat format = LayerFormat.Geojson)
    {
        RequireDraft("edited");
        var import = ZoneLayers.Read(format, file, watershed);
        if (!import.Succeeded)
        {
            throw new InvalidArgumentException(import.Faults);
        }

        _zones.Clear();
        _zones.AddRange(import.Zones);
        return import;
    }

    /// <summary>
    /// Reads and checks a layer exactly as <see cref="ImportZones"/> does, and changes nothing: the zones it would hold,
    /// or its faults, with every feature as read.
    /// </summary>
    public ZoneImport CheckZones(ReadOnlyMemory<byte> file, WatershedUnit watershed, LayerFormat format = LayerFormat.Geojson)
    {
        RequireDraft("edited");
        return ZoneLayers.Read(format, file, watershed);
    }

    internal static IReadOnlyList<string> CheckContent(PlanHorizon horizon, IReadOnlyList<string> goals)
    {
        var violations = ContentViolations(horizon, goals);
        return violations.Count > 0 ? throw new InvalidArgumentException(violations) : [.. goals.Select(g => g.Trim())];
    }

    internal static List<FieldViolation> ContentViolations(PlanHorizon horizon, IReadOnlyList<string> goals)
    {
        var violations = new List<FieldViolation>();
        if (horizon.Check() is { } violation)
        {
            violations.Add(violation);
        }

        if (goals.Count > MaxGoals)
        {
            // Past the limit the goals are not read one by one: a list of 10,000 would answer thousands of violations.
            violations.Add(new("goals", $"A plan states at most {MaxGoals} goals."));
            return violations;
        }

        // Past the limit the goals are not read one by one: a list of a million would answer a million violations.
        for (var i = 0; i < Math.Min(goals.Count, MaxGoals); i++)
        {
            if (goals[i].Trim().Length is 0 or > MaxGoalLength)
            {
                violations.Add(new($"goals[{i}]", $"A goal is stated in 1–{MaxGoalLength} characters."));
            }
            else if (!TextRules.IsOneLine(goals[i].Trim()))
            {
                violations.Add(new($"goals[{i}]", $"A goal {TextRules.OneLineRule}."));
            }
        }

        return violations;
    }

    /// <exception cref="PlanRuleException">Not a draft, no zones, or the zones break the layout rules.</exception>
    internal void Submit(WatershedUnit watershed, DateTimeOffset now)
    {
        RequireDraft("submitted for consultation");
        if (_zones.Count == 0)
        {
            throw new PlanRuleException("NO_ZONES", Subject, "A version without zones cannot go to consultation.");
        }

        // The boundary may have changed since the zones were drawn: check again what goes to the assembly.
        var report = ZoneLayout.Check(_zones, watershed.Boundary);
        if (!report.IsClean)
        {
            throw new PlanRuleException("ZONE_LAYOUT", Subject, string.Join(" ", report.ToViolations().Select(v => v.Description)));
        }

        SubmittedAt = now;
        State = PlanVersionState.InConsultation;
    }

    internal void Approve(PlanApproval approval, DateTimeOffset now)
    {
        Require(PlanVersionState.InConsultation, "approved");
        ApprovedByProposalId = approval.ProposalId;
        DecidedAt = now;
        State = PlanVersionState.Approved;
    }

    internal void Withdraw(string reason, DateTimeOffset now)
    {
        Require(PlanVersionState.InConsultation, "withdrawn");
        WithdrawalReason = reason.Trim();
        DecidedAt = now;
        State = PlanVersionState.Withdrawn;
    }

    internal void Supersede(DateTimeOffset now)
    {
        Require(PlanVersionState.Approved, "superseded");
        SupersededAt = now;
        State = PlanVersionState.Superseded;
    }

    internal PlanVersion CopyAsDraft(Guid id, int number, DateTimeOffset now) =>
        new(id, PlanId, number, Id, Horizon, Goals, _zones.Select(z => z.CopyAs(Guid.CreateVersion7(now))), now);

    private void RequireDraft(string action) => Require(PlanVersionState.Draft, action);

    private void Require(PlanVersionState expected, string action)
    {
        if (State != expected)
        {
            throw new PlanRuleException("PLAN_VERSION_STATE", Subject,
                $"Only a version that is {Describe(expected)} can be {action}; version {Number} is {Describe(State)}.");
        }
    }

    internal static string Describe(PlanVersionState state) => state switch
    {
        PlanVersionState.InConsultation => "in consultation",
        _ => state.ToString().ToLowerInvariant(),
    };
}
