namespace Watershed.Consultation.Domain;

// Each domain enum is its proto enum's twin: the same members and numbers, without the UNSPECIFIED zero
// (EnumMapping maps them by number; EnumTwinsTests holds them together). Stored as these numbers.

public enum OrganizationKind
{
    Community = 1,
    Association = 2,
    LocalGovernment = 3,
    Ngo = 4,
    Other = 5,
}

public enum ContactChannel
{
    Sms = 1,
    Email = 2,
}

public enum SpaceKind
{
    CommunityAssembly = 1,
    ParticipatoryBudget = 2,
    BasinCouncil = 3,
    RoundTable = 4,
}

public enum MemberRole
{
    VotingMember = 1,
    Delegate = 2,
    Facilitator = 3,
    TechnicalAdvisor = 4,
    Observer = 5,
}

public enum AssemblyState
{
    Convened = 1,
    Open = 2,
    Closed = 3,
}

public enum AssemblyCall
{
    First = 1,
    Second = 2,
}

public enum ProposalType
{
    General = 1,
    LandUseChange = 2,
    BudgetItem = 3,
    PlanApproval = 4,
}

public enum ProposalState
{
    Draft = 1,
    Submitted = 2,
    OnAgenda = 3,
    Voting = 4,
    Approved = 5,
    Rejected = 6,
    Withdrawn = 7,
}

public enum DecisionRule
{
    SimpleMajority = 1,
    AbsoluteMajorityOfPresent = 2,
    TwoThirdsOfRoll = 3,
    Consensus = 4,
}

public enum VoteChoice
{
    Yes = 1,
    No = 2,
    Abstain = 3,
    Block = 4,
}

public enum BallotState
{
    Open = 1,
    Closed = 2,
}

public enum VoteChannel
{
    Direct = 1,
    RecordedByFacilitator = 2,
    Proxy = 3,

    /// <summary>The member collected a paper ballot for the box (ánfora); it is counted with the box's tally.</summary>
    PaperBallot = 4,
}

/// <summary>Whether a ballot publishes who voted what; a space sets the default.</summary>
public enum BallotSecrecy
{
    Secret = 1,
    Public = 2,
}

/// <summary>
/// Whether a voter's receipt code is published next to their choice. Receipt-free (the default of secret ballots): the
/// log publishes choices without receipt codes, so a voter can check their vote was counted (VerifyReceipt) but cannot
/// show anyone what it was. Linked: the log pairs each code with its choice, so a voter can check, and prove, their choice.
/// </summary>
public enum ReceiptMode
{
    ReceiptFree = 1,
    Linked = 2,
}

/// <summary>What an entry of a ballot's log records.</summary>
public enum BallotLogEntryKind
{
    /// <summary>One vote, with its choice.</summary>
    Vote = 1,

    /// <summary>A facilitator's correction: an earlier vote entry no longer counts.</summary>
    Void = 2,

    /// <summary>The count of the paper ballots in the box, entered by one facilitator and attested by another.</summary>
    PaperTally = 3,
}

/// <summary>Where a ballot's paper count (ánfora) stands.</summary>
public enum PaperTallyState
{
    /// <summary>No count yet: votes and paper ballots may still be taken.</summary>
    NotRecorded = 1,

    /// <summary>Entered by one facilitator, awaiting another's attestation; entry is closed for everyone.</summary>
    Entered = 2,

    /// <summary>Attested and in the log and the counts.</summary>
    Attested = 3,
}

/// <summary>A person's sex as registries ask it for an acta's quorum basis; a person may have none registered.</summary>
public enum Sex
{
    Female = 1,
    Male = 2,
}
