using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>An assembly of a space: convened → open → closed.</summary>
public sealed class Assembly
{
    public Guid Id { get; init; }

    public Guid SpaceId { get; init; }

    public required string Title { get; set; }

    public List<string> Agenda { get; set; } = [];

    public string Place { get; set; } = string.Empty;

    public DateTimeOffset ScheduledAt { get; set; }

    public AssemblyState State { get; private set; } = AssemblyState.Convened;

    public AssemblyCall? Call { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Quorum as it stood when the assembly opened; the acta records it.</summary>
    public int? QuorumOnRollAtOpen { get; private set; }

    public int? QuorumPresentAtOpen { get; private set; }

    public int? QuorumRequiredAtOpen { get; private set; }

    public bool AcceptsAttendance => State is AssemblyState.Convened or AssemblyState.Open;

    public void EnsureAcceptsAttendance()
    {
        if (!AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{Id}", "Attendance can only be recorded while the assembly is convened or open.");
        }
    }

    /// <summary>Opens at a call. Opening without quorum is allowed (the acta says so); voting is not.</summary>
    public void Open(QuorumCount quorum, DateTimeOffset now)
    {
        if (State != AssemblyState.Convened)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{Id}", $"Only a convened assembly can be opened; this one is {State.ToString().ToLowerInvariant()}.");
        }

        State = AssemblyState.Open;
        Call = quorum.Call;
        OpenedAt = now;
        QuorumOnRollAtOpen = quorum.OnRoll;
        QuorumPresentAtOpen = quorum.Present;
        QuorumRequiredAtOpen = quorum.Required;
    }

    public void EnsureOpenForVoting(QuorumCount quorum)
    {
        if (State != AssemblyState.Open)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{Id}", "Voting needs an open assembly.");
        }

        if (!quorum.Reached)
        {
            throw new PreconditionFailedException("QUORUM", $"assemblies/{Id}",
                $"No quorum: {quorum.Present} voting members present, {quorum.Required} required at the {(quorum.Call == AssemblyCall.First ? "first" : "second")} call.");
        }
    }

    public void Close(bool anyBallotOpen, DateTimeOffset now)
    {
        if (State != AssemblyState.Open)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{Id}", "Only an open assembly can be closed.");
        }

        if (anyBallotOpen)
        {
            throw new PreconditionFailedException("BALLOT_OPEN", $"assemblies/{Id}", "Close every open ballot before closing the assembly.");
        }

        State = AssemblyState.Closed;
        ClosedAt = now;
    }
}

/// <summary>Whether a member is in the room now; one row per member and assembly, updated on arrival and departure.</summary>
public sealed class AttendanceRecord
{
    public Guid AssemblyId { get; init; }

    public Guid MemberId { get; init; }

    public bool Present { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;
}
