using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Domain;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Consultation.Data;

/// <summary>The consultation database; the domain classes are its entities, mapped here and nowhere else.</summary>
public sealed class ConsultationDbContext : DbContext
{
    public ConsultationDbContext(DbContextOptions<ConsultationDbContext> options)
        : base(options)
    {
        // A transaction here is one call's unit of work and a failed save abandons it, so the savepoint EF would
        // set around each save inside it is a round trip (taken under a row lock) that nothing rolls back to.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<WatershedEntity> Watersheds => Set<WatershedEntity>();

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Person> Persons => Set<Person>();

    public DbSet<PersonConsent> PersonConsents => Set<PersonConsent>();

    public DbSet<Space> Spaces => Set<Space>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Assembly> Assemblies => Set<Assembly>();

    public DbSet<AttendanceRecord> Attendance => Set<AttendanceRecord>();

    public DbSet<AssemblyRollEntry> AssemblyRoll => Set<AssemblyRollEntry>();

    public DbSet<Proxy> Proxies => Set<Proxy>();

    public DbSet<MinutesCorrection> MinutesCorrections => Set<MinutesCorrection>();

    public DbSet<Proposal> Proposals => Set<Proposal>();

    public DbSet<ProposalReference> ProposalReferences => Set<ProposalReference>();

    public DbSet<Ballot> Ballots => Set<Ballot>();

    public DbSet<BallotElector> BallotElectors => Set<BallotElector>();

    public DbSet<BallotParticipation> BallotParticipations => Set<BallotParticipation>();

    public DbSet<BallotLogEntry> BallotLog => Set<BallotLogEntry>();

    public DbSet<PaperBallotIssue> PaperBallotIssues => Set<PaperBallotIssue>();

    public DbSet<BallotPaperTally> PaperTallies => Set<BallotPaperTally>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseSortableInstantsOnSqlite(Database);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<WatershedEntity>(e =>
        {
            e.ToTable("watersheds");
            e.HasKey(w => w.Id);
            e.HasIndex(w => w.Code).IsUnique();
            e.Property(w => w.Code).HasMaxLength(40);
            e.Property(w => w.Name).HasMaxLength(200);
            e.Property(w => w.Region).HasMaxLength(200);
            e.Property(w => w.District).HasMaxLength(200);
        });

        model.Entity<Organization>(e =>
        {
            e.ToTable("organizations");
            e.HasKey(o => o.Id);
            e.HasOne<WatershedEntity>().WithMany().HasForeignKey(o => o.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(o => new { o.WatershedId, o.Name }).IsUnique();
            e.Property(o => o.Name).HasMaxLength(200);
        });

        model.Entity<Person>(e =>
        {
            e.ToTable("persons");
            e.HasKey(p => p.Id);
            e.HasOne<WatershedEntity>().WithMany().HasForeignKey(p => p.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            // ListPersons: by name within a watershed.
            e.HasIndex(p => new { p.WatershedId, p.FullName, p.Id });
            e.Property(p => p.FullName).HasMaxLength(200);
            e.Property(p => p.PhoneNumber).HasMaxLength(16);
            e.Property(p => p.Email).HasMaxLength(Person.MaxEmailLength).HasDefaultValue(string.Empty);
            e.Property(p => p.PreferredLanguage).HasMaxLength(10);
            e.Property(p => p.NationalId).HasMaxLength(8).HasDefaultValue(string.Empty);
            // A DNI names one person in a watershed; roll imports find people by it.
            e.HasIndex(p => new { p.WatershedId, p.NationalId }).IsUnique().HasFilter("\"NationalId\" <> ''");
            e.HasMany(p => p.Consents).WithOne().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(p => p.Consents).HasField("_consents");
        });

        model.Entity<PersonConsent>(e =>
        {
            e.ToTable("person_consents");
            e.HasKey(c => new { c.PersonId, c.Channel });
        });

        model.Entity<Space>(e =>
        {
            e.ToTable("spaces");
            e.HasKey(s => s.Id);
            e.HasOne<WatershedEntity>().WithMany().HasForeignKey(s => s.WatershedId).OnDelete(DeleteBehavior.Restrict);
            // ListSpaces: by name within a watershed.
            e.HasIndex(s => new { s.WatershedId, s.Name, s.Id });
            e.Property(s => s.Name).HasMaxLength(200);
            e.ComplexProperty(s => s.FirstCallQuorum, q => q.Property(x => x.Percent).HasPrecision(5, 2));
            e.ComplexProperty(s => s.SecondCallQuorum, q => q.Property(x => x.Percent).HasPrecision(5, 2));
            e.Ignore(s => s.SecretBallotsByDefault);
            e.Ignore(s => s.AllowsProxies);
        });

        model.Entity<Member>(e =>
        {
            e.ToTable("members");
            e.HasKey(m => m.Id);
            e.HasOne<Space>().WithMany().HasForeignKey(m => m.SpaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            // One active membership per person and space, however many times they joined and left.
            e.HasIndex(m => new { m.SpaceId, m.PersonId }).IsUnique().HasFilter("\"LeftAt\" IS NULL");
            // The acta lists everyone who was on the roll, including those who left since.
            e.HasIndex(m => m.SpaceId);
            e.Ignore(m => m.HasVote);
            e.Ignore(m => m.IsActive);
        });

        model.Entity<Assembly>(e =>
        {
            e.ToTable("assemblies");
            e.HasKey(a => a.Id);
            e.HasOne<Space>().WithMany().HasForeignKey(a => a.SpaceId).OnDelete(DeleteBehavior.Restrict);
            // ListAssemblies: latest first, then by id.
            e.HasIndex(a => new { a.SpaceId, a.ScheduledAt, a.Id }).IsDescending(false, true, false);
            e.Property(a => a.Title).HasMaxLength(200);
            e.Property(a => a.Place).HasMaxLength(200);
            e.PrimitiveCollection(a => a.Agenda).HasField("_agenda");
            e.PrimitiveCollection(a => a.ConvenedProposalIds).HasField("_convenedProposalIds");
            e.Ignore(a => a.AcceptsAttendance);
            e.Ignore(a => a.CallInEffect);
            e.Ignore(a => a.OpeningQuorum);
            e.Ignore(a => a.ClosingQuorum);
            e.Ignore(a => a.FrozenQuorum);
        });

        model.Entity<Proxy>(e =>
        {
            e.ToTable("assembly_proxies");
            e.HasKey(p => p.Id);
            e.HasOne<Assembly>().WithMany().HasForeignKey(p => p.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(p => p.HolderMemberId).OnDelete(DeleteBehavior.Restrict);
            // One active proxy per represented member and assembly; revoked ones stay for the record.
            e.HasIndex(p => new { p.AssemblyId, p.MemberId }).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
            e.HasIndex(p => new { p.AssemblyId, p.HolderMemberId });
            e.Property(p => p.DocumentReference).HasMaxLength(Proxy.MaxDocumentReferenceLength);
            e.Property(p => p.RegisteredBy).HasMaxLength(200);
            e.Property(p => p.RevokedBy).HasMaxLength(200);
            e.Ignore(p => p.IsActive);
        });

        model.Entity<MinutesCorrection>(e =>
        {
            e.ToTable("minutes_corrections");
            e.HasKey(c => new { c.AssemblyId, c.Number });
            e.HasOne<Assembly>().WithMany().HasForeignKey(c => c.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.Property(c => c.Text).HasMaxLength(MinutesCorrection.MaxTextLength);
            e.Property(c => c.RecordedBy).HasMaxLength(200);
        });

        model.Entity<AssemblyRollEntry>(e =>
        {
            e.ToTable("assembly_roll");
            e.HasKey(r => new { r.AssemblyId, r.MemberId });
            e.HasOne<Assembly>().WithMany().HasForeignKey(r => r.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(r => r.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.Property(r => r.FullName).HasMaxLength(200);
        });

        model.Entity<AttendanceRecord>(e =>
        {
            e.ToTable("attendance");
            e.HasKey(a => new { a.AssemblyId, a.MemberId });
            e.HasOne<Assembly>().WithMany().HasForeignKey(a => a.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.Property(a => a.RecordedBy).HasMaxLength(200);
        });

        model.Entity<Proposal>(e =>
        {
            e.ToTable("proposals");
            e.HasKey(p => p.Id);
            e.HasOne<Space>().WithMany().HasForeignKey(p => p.SpaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Assembly>().WithMany().HasForeignKey(p => p.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(p => p.SubmittedByOrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Person>().WithMany().HasForeignKey(p => p.SubmittedByPersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Ballot>().WithMany().HasForeignKey(p => p.BallotId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.References).WithOne().HasForeignKey(r => r.ProposalId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(p => p.References).HasField("_references");
            // ListProposals: oldest first within a space, then by id.
            e.HasIndex(p => new { p.SpaceId, p.CreatedAt, p.Id });
            e.Property(p => p.Title).HasMaxLength(200);
            e.Property(p => p.Description).HasMaxLength(4000);
            e.Property(p => p.Revision).IsConcurrencyToken();
        });

        model.Entity<ProposalReference>(e =>
        {
            e.ToTable("proposal_references");
            e.HasKey(r => new { r.ProposalId, r.Kind, r.ExternalId });
            e.HasIndex(r => new { r.Kind, r.ExternalId });
            e.Property(r => r.Kind).HasMaxLength(80);
            e.Property(r => r.ExternalId).HasMaxLength(100);
        });

        model.Entity<Ballot>(e =>
        {
            e.ToTable("ballots");
            e.HasKey(b => b.Id);
            e.HasOne<Proposal>().WithMany().HasForeignKey(b => b.ProposalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Assembly>().WithMany().HasForeignKey(b => b.AssemblyId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(b => b.ProposalId).IsUnique();
            e.HasIndex(b => b.AssemblyId);
            e.Property(b => b.HeadHash).HasMaxLength(64);
            e.Property(b => b.Explanation).HasMaxLength(500);
            e.Ignore(b => b.Tally);
            e.Ignore(b => b.NotYetVoted);
            e.Ignore(b => b.CountsHidden);
        });

        model.Entity<BallotElector>(e =>
        {
            e.ToTable("ballot_electors");
            e.HasKey(x => new { x.BallotId, x.MemberId });
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.HolderMemberId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<BallotParticipation>(e =>
        {
            e.ToTable("ballot_participations");
            // One row per vote entry, voided or not; one counted vote per member; a request id is never reused.
            e.HasKey(x => new { x.BallotId, x.Sequence });
            e.HasIndex(x => new { x.BallotId, x.MemberId }).IsUnique().HasFilter("\"VoidedBySequence\" IS NULL");
            e.HasIndex(x => new { x.BallotId, x.ClientRequestId }).IsUnique();
            // VerifyReceipt finds a receipt here: on a receipt-free ballot the log does not carry it.
            e.HasIndex(x => new { x.BallotId, x.ReceiptCode }).IsUnique();
            e.Property(x => x.VoidedBy).HasMaxLength(200);
            e.Ignore(x => x.IsCounted);
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.ClientRequestId).HasMaxLength(64);
            e.Property(x => x.RequestFingerprint).HasMaxLength(64);
            e.Property(x => x.ReceiptCode).HasMaxLength(16);
            e.Property(x => x.EntryHash).HasMaxLength(64);
            e.Property(x => x.RecordedBy).HasMaxLength(200);
        });

        model.Entity<BallotLogEntry>(e =>
        {
            e.ToTable("ballot_log");
            e.HasKey(x => new { x.BallotId, x.Sequence });
            // Only vote entries carry a receipt code.
            e.HasIndex(x => new { x.BallotId, x.ReceiptCode }).IsUnique().HasFilter("\"ReceiptCode\" <> ''");
            e.Property(x => x.Reason).HasMaxLength(500);
            foreach (var count in new[] { "PaperYes", "PaperNo", "PaperAbstain", "PaperBlock", "PaperBlank", "PaperSpoiled" })
            {
                e.Property<int?>(count);
            }

            e.Ignore(x => x.Paper);
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.ReceiptCode).HasMaxLength(16);
            e.Property(x => x.MemberId).HasMaxLength(36);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.EntryHash).HasMaxLength(64);
        });

        model.Entity<PaperBallotIssue>(e =>
        {
            e.ToTable("ballot_paper_issues");
            e.HasKey(x => new { x.BallotId, x.MemberId });
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.IssuedBy).HasMaxLength(200);
        });

        model.Entity<BallotPaperTally>(e =>
        {
            e.ToTable("ballot_paper_tallies");
            e.HasKey(x => x.BallotId);
            e.HasOne<Ballot>().WithOne().HasForeignKey<BallotPaperTally>(x => x.BallotId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.EnteredBy).HasMaxLength(200);
            e.Property(x => x.AttestedBy).HasMaxLength(200);
            e.Ignore(x => x.Count);
        });

        model.AddOutbox();

        // Consultation subscribes to nothing, but MapServiceEvents serves the dead-letter list for every service:
        // its tables exist so that list answers (empty) instead of failing.
        model.AddInbox();
    }
}
