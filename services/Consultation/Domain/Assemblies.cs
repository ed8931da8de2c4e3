using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>An assembly of a space: convened → open → closed.</summary>
public sealed class Assembly
{
    public const int MaxAgendaItems = 50;

    private readonly List<string> _agenda = [];

    private readonly List<Guid> _convenedProposalIds = [];

    private Assembly()
    {
    }

    public Guid Id { get; private set; }

    public Guid SpaceId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public IReadOnlyList<string> Agenda => _agenda;

    /// <summary>
    /// The proposals the call (convocatoria) listed, fixed when the assembly was convened. A land act is voted only in
    /// an assembly convened for it, so a land-use change must be one of these.
    /// </summary>
    public IReadOnlyList<Guid> ConvenedProposalIds => _convenedProposalIds;

    public string Place { get; private set; } = string.Empty;

    public DateTimeOffset ScheduledAt { get; private set; }

    public AssemblyState State { get; private set; } = AssemblyState.Convened;

    public AssemblyCall? Call { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Quorum as it stood when the assembly opened; the acta records it.</summary>
    public int? QuorumOnRollAtOpen { get; private set; }

    public int? QuorumPresentAtOpen { get; private set; }

    public int? QuorumRequiredAtOpen { get; private set; }

    /// <summary>Absent members counted for quorum through a proxy at the opening (when the space counts them).</summary>
    public int? QuorumRepresentedAtOpen { get; private set; }

    /// <summary>Quorum as it stood when the assembly closed, at the call it opened at: what a closed assembly reports, forever.</summary>
    public int? QuorumOnRollAtClose { get; private set; }

    public int? QuorumPresentAtClose { get; private set; }

    public int? QuorumRequiredAtClose { get; private set; }

    public int? QuorumRepresentedAtClose { get; private set; }

    /// <summary>The quorum when the assembly opened (the constancia de quórum the acta certifies); null before it opens.</summary>
    public QuorumCount? OpeningQuorum => Count(QuorumOnRollAtOpen, QuorumPresentAtOpen, QuorumRequiredAtOpen, QuorumRepresentedAtOpen);

    /// <summary>The quorum when the assembly closed; null before it closes.</summary>
    public QuorumCount? ClosingQuorum => Count(QuorumOnRollAtClose, QuorumPresentAtClose, QuorumRequiredAtClose, QuorumRepresentedAtClose);

    /// <summary>
    /// What a closed assembly reports as its quorum: frozen at the close, whatever happens to the roll later.
    /// Null while it is convened or open, when the quorum is counted from the roll and attendance now.
    /// </summary>
    public QuorumCount? FrozenQuorum => State == AssemblyState.Closed ? ClosingQuorum : null;

    public bool AcceptsAttendance => State is AssemblyState.Convened or AssemblyState.Open;

    /// <summary>The call quorum is measured at: the one the assembly opened at, or the first call before it opens.</summary>
    public AssemblyCall CallInEffect => Call ?? AssemblyCall.First;

    private string Subject => $"assemblies/{Id}";

    /// <param name="scheduledAt">Null when the request gave none (a violation).</param>
    /// <param name="listed">Submitted proposals of the space the call lists; they are on the agenda from now on.</param>
    /// <exception cref="InvalidArgumentException">Any detail breaks a rule (all of them are named).</exception>
    /// <exception cref="PreconditionFailedException">A listed proposal is of another space or not submitted.</exception>
    public static Assembly Convene(Space space, string title, string place, DateTimeOffset? scheduledAt, IReadOnlyList<string> agenda,
        IReadOnlyList<Proposal>? listed = null)
    {
        var v = new Validation();
        var details = Check(v, title, place, scheduledAt, agenda, listed?.Count ?? 0);
        v.ThrowIfInvalid();
        var assembly = new Assembly
        {
            Id = Guid.CreateVersion7(),
            SpaceId = space.Id,
            Title = details.Title,
            Place = details.Place,
            ScheduledAt = scheduledAt!.Value,
        };
        assembly._agenda.AddRange(details.Agenda);
        foreach (var proposal in listed ?? [])
        {
            proposal.ListInCall(assembly);
            assembly._convenedProposalIds.Add(proposal.Id);
        }

        return assembly;
    }

    /// <summary>The first instant an assembly may be scheduled at (inclusive).</summary>
    public static readonly DateTimeOffset EarliestSchedule = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The instant from which no assembly may be scheduled: years 1900–2199, as every date the services accept.</summary>
    public static readonly DateTimeOffset ScheduleEnd = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The rules on a new assembly's details, added to <paramref name="v"/>.</summary>
    /// <param name="listedProposals">How many proposals the call lists.</param>
    /// <param name="scheduledGiven">Whether the request had a time at all (one it gave out of Timestamp's range is named already).</param>
    /// <returns>The details as stored (trimmed).</returns>
    public static (string Title, string Place, IReadOnlyList<string> Agenda) Check(Validation v, string title, string place, DateTimeOffset? scheduledAt,
        IReadOnlyList<string> agenda, int listedProposals = 0, bool scheduledGiven = false)
    {
        var cleanTitle = v.Text(title, "title");
        var cleanPlace = v.Text(place, "place");
        if (scheduledAt is { } at)
        {
            v.Check(at >= EarliestSchedule && at < ScheduleEnd, "scheduled_at", "must be in the years 1900 to 2199 (UTC)");
        }
        else if (!scheduledGiven)
        {
            v.Add("scheduled_at", "is required");
        }

        v.Check(agenda.Count <= MaxAgendaItems, "agenda", $"must have at most {MaxAgendaItems} items");
        v.Check(listedProposals <= MaxAgendaItems, "proposal_ids", $"must have at most {MaxAgendaItems} items");
        IReadOnlyList<string> items = [.. agenda.Select((item, i) => v.Text(item, $"agenda[{i}]", 500))];
        return (cleanTitle, cleanPlace, items);
    }

    /// <summary>The quorum now, at the call in effect.</summary>
    public QuorumCount QuorumNow(Space space, Electorate electorate) => electorate.Quorum(space, CallInEffect);

    /// <summary>
    /// Records a member arriving or leaving. The caller holds the assembly's row lock, so attendance cannot
    /// change under a ballot opening (whose electorate is who is present) or an assembly closing.
    /// </summary>
    /// <param name="current">The member's attendance record in this assembly, if one exists.</param>
    /// <returns>The record: <paramref name="current"/> updated, or a new one to add.</returns>
    /// <exception cref="NotFoundException">The member is of another space.</exception>
    /// <exception cref="PreconditionFailedException">The member has left the roll, or the assembly is closed.</exception>
    public AttendanceRecord RecordAttendance(Member member, AttendanceRecord? current, bool present, string recordedBy, DateTimeOffset now)
    {
        if (member.SpaceId != SpaceId)
        {
            throw new NotFoundException("member", member.Id.ToString());
        }

        member.EnsureActive();
        if (!AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, "Attendance can only be recorded while the assembly is convened or open.");
        }

        var record = current ?? new AttendanceRecord(Id, member.Id);
        record.Set(present, recordedBy, now);
        return record;
    }

    /// <summary>Opens at a call. Opening without quorum is allowed (the acta says so); voting is not.</summary>
    /// <returns>The quorum at opening, which the assembly keeps for the acta.</returns>
    public QuorumCount Open(Space space, AssemblyCall call, Electorate electorate, DateTimeOffset now)
    {
        if (State != AssemblyState.Convened)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, $"Only a convened assembly can be opened; this one is {State.ToString().ToLowerInvariant()}.");
        }

        var quorum = electorate.Quorum(space, call);
        State = AssemblyState.Open;
        Call = call;
        OpenedAt = now;
        QuorumOnRollAtOpen = quorum.OnRoll;
        QuorumPresentAtOpen = quorum.Present;
        QuorumRequiredAtOpen = quorum.Required;
        QuorumRepresentedAtOpen = quorum.Represented;
        return quorum;
    }

    /// <summary>Whether a proposal may join the agenda: only a convened or open assembly takes items.</summary>
    public void EnsureTakesAgendaItems()
    {
        if (!AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, "Only a convened or open assembly takes agenda items.");
        }
    }

    /// <summary>
    /// A land act (a land-use change of communal land) is valid only in an assembly convened expressly for it: its call,
    /// fixed when it was convened, must list the proposal.
    /// </summary>
    /// <exception cref="PreconditionFailedException">A land-use change this assembly's call did not list.</exception>
    public void EnsureConvenedFor(Proposal proposal)
    {
        if (proposal.Type == ProposalType.LandUseChange && !_convenedProposalIds.Contains(proposal.Id))
        {
            throw LandActNotConvened(proposal.Id);
        }
    }

    /// <summary>The answer when a land-use change meets an assembly whose call did not list it.</summary>
    public static PreconditionFailedException LandActNotConvened(Guid proposalId) =>
        new("LAND_ACT_NOT_CONVENED", $"proposals/{proposalId}",
            "A land-use change is voted only in an assembly convened for it: convene an assembly whose call lists it (ConveneAssembly.proposal_ids).");

    public void EnsureOpenForVoting(QuorumCount quorum)
    {
        if (State != AssemblyState.Open)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, "Voting needs an open assembly.");
        }

        if (!quorum.Reached)
        {
            throw new PreconditionFailedException("QUORUM", Subject,
                $"No quorum: {quorum.Present} voting members present, {quorum.Required} required at the {(quorum.Call == AssemblyCall.First ? "first" : "second")} call.");
        }
    }

    /// <summary>
    /// Closes the assembly and freezes its record: the quorum at the close and who was on the roll and present
    /// (the acta's attendance). Nothing that happens to the roll afterwards changes either.
    /// </summary>
    /// <param name="anyBallotOpen">Whether a ballot of this assembly is open, read under this assembly's row lock.</param>
    /// <param name="electorate">The voting members on the roll now and those present, read under the same lock.</param>
    /// <param name="attendance">Everyone on the roll now plus anyone recorded in this assembly, as the acta lists them.</param>
    /// <returns>The quorum at the close and the attendance rows to add with it.</returns>
    public (QuorumCount Quorum, IReadOnlyList<AssemblyRollEntry> Roll) Close(bool anyBallotOpen, Space space, Electorate electorate,
        IReadOnlyList<MinutesAttendee> attendance, DateTimeOffset now)
    {
        if (State != AssemblyState.Open)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, "Only an open assembly can be closed.");
        }

        if (anyBallotOpen)
        {
            throw new PreconditionFailedException("BALLOT_OPEN", Subject, "Close every open ballot before closing the assembly.");
        }

        var quorum = electorate.Quorum(space, CallInEffect);
        State = AssemblyState.Closed;
        ClosedAt = now;
        QuorumOnRollAtClose = quorum.OnRoll;
        QuorumPresentAtClose = quorum.Present;
        QuorumRequiredAtClose = quorum.Required;
        QuorumRepresentedAtClose = quorum.Represented;
        return (quorum, [.. attendance.Select(a => new AssemblyRollEntry(Id, a))]);
    }

    private QuorumCount? Count(int? onRoll, int? present, int? required, int? represented) =>
        Call is { } call && onRoll is { } r && present is { } p && required is { } q
            ? new QuorumCount(call, r, p, q, p + (represented ?? 0) >= q, represented ?? 0)
            : null;
}

/// <summary>
/// One line of a closed assembly's attendance, written when it closes: who was on the roll (or recorded in the
/// assembly), their name and role then, and whether they were present. The acta of a closed assembly reads only these.
/// </summary>
public sealed class AssemblyRollEntry
{
    private AssemblyRollEntry()
    {
    }

    internal AssemblyRollEntry(Guid assemblyId, MinutesAttendee attendee)
    {
        AssemblyId = assemblyId;
        MemberId = attendee.MemberId;
        PersonId = attendee.PersonId;
        FullName = attendee.FullName;
        Role = attendee.Role;
        Present = attendee.Present;
        RecordedAt = attendee.RecordedAt;
        RepresentedBy = attendee.RepresentedBy;
        Sex = attendee.Sex;
    }

    public Guid AssemblyId { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid PersonId { get; private set; }

    public string FullName { get; private set; } = string.Empty;

    public MemberRole Role { get; private set; }

    public bool Present { get; private set; }

    public DateTimeOffset? RecordedAt { get; private set; }

    /// <summary>The member who carried this absent member's proxy at the close, if anyone.</summary>
    public Guid? RepresentedBy { get; private set; }

    /// <summary>The person's sex as registered at the close.</summary>
    public Sex? Sex { get; private set; }

    public MinutesAttendee ToAttendee() => new(MemberId, PersonId, FullName, Role, Member.HasVoteFor(Role), Present, RecordedAt, RepresentedBy, Sex);
}

/// <summary>Whether a member is in the room now; one row per member and assembly, updated on arrival and departure.</summary>
public sealed class AttendanceRecord
{
    private AttendanceRecord()
    {
    }

    internal AttendanceRecord(Guid assemblyId, Guid memberId)
    {
        AssemblyId = assemblyId;
        MemberId = memberId;
    }

    public Guid AssemblyId { get; private set; }

    public Guid MemberId { get; private set; }

    public bool Present { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    public string RecordedBy { get; private set; } = string.Empty;

    internal void Set(bool present, string recordedBy, DateTimeOffset now)
    {
        Present = present;
        RecordedBy = recordedBy;
        RecordedAt = now;
    }
}

/// <summary>
/// A correction appended to a closed assembly's acta (fe de erratas). The acta is never edited in place: a correction
/// is a new numbered text after it, with when and by whom it was made.
/// </summary>
public sealed class MinutesCorrection
{
    public const int MaxTextLength = 2000;

    private MinutesCorrection()
    {
    }

    public Guid AssemblyId { get; private set; }

    public int Number { get; private set; }

    public string Text { get; private set; } = string.Empty;

    public string RecordedBy { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The correction's text: required, at most <see cref="MaxTextLength"/> characters, line breaks allowed.</summary>
    /// <returns>The text as stored (trimmed).</returns>
    public static string CheckText(Validation v, string? text)
    {
        var clean = v.OptionalText(text, "text", MaxTextLength);
        v.Check(clean.Length > 0, "text", "is required");
        return clean;
    }

    /// <summary>Appends a correction to the acta of a closed assembly; the caller holds the assembly's row lock.</summary>
    /// <param name="count">Corrections appended before, read under the lock.</param>
    /// <exception cref="PreconditionFailedException">The assembly is not closed: its acta is still being written.</exception>
    public static MinutesCorrection Append(Assembly assembly, int count, string text, string recordedBy, DateTimeOffset now)
    {
        if (assembly.State != AssemblyState.Closed)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{assembly.Id}",
                "Corrections are appended to the acta of a closed assembly; until it closes the acta is still being written.");
        }

        return new MinutesCorrection { AssemblyId = assembly.Id, Number = count + 1, Text = text, RecordedBy = recordedBy, RecordedAt = now };
    }
}