using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClosedAssembliesStayClosed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "QuorumOnRollAtClose",
                table: "assemblies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuorumPresentAtClose",
                table: "assemblies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuorumRequiredAtClose",
                table: "assemblies",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "assembly_roll",
                columns: table => new
                {
                    AssemblyId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Present = table.Column<bool>(type: "boolean", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assembly_roll", x => new { x.AssemblyId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_assembly_roll_assemblies_AssemblyId",
                        column: x => x.AssemblyId,
                        principalTable: "assemblies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assembly_roll_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assembly_roll_MemberId",
                table: "assembly_roll",
                column: "MemberId");

            // Assemblies closed before this migration get the record they would have frozen at their close: the roll as
            // it stood then (members joined by then and not yet gone, plus anyone recorded), read from the members'
            // join and leave times and the attendance, which no longer changes once an assembly is closed.
            migrationBuilder.Sql("""
                INSERT INTO assembly_roll ("AssemblyId", "MemberId", "PersonId", "FullName", "Role", "Present", "RecordedAt")
                SELECT a."Id", m."Id", m."PersonId", p."FullName", m."Role", COALESCE(t."Present", false), t."RecordedAt"
                FROM assemblies a
                JOIN members m ON m."SpaceId" = a."SpaceId"
                JOIN persons p ON p."Id" = m."PersonId"
                LEFT JOIN attendance t ON t."AssemblyId" = a."Id" AND t."MemberId" = m."Id"
                WHERE a."State" = 3
                  AND (t."MemberId" IS NOT NULL OR (m."JoinedAt" <= a."ClosedAt" AND (m."LeftAt" IS NULL OR m."LeftAt" > a."ClosedAt")));
                """);
            migrationBuilder.Sql("""
                UPDATE assemblies AS a
                SET "QuorumOnRollAtClose" = c.on_roll,
                    "QuorumPresentAtClose" = c.present,
                    "QuorumRequiredAtClose" = GREATEST(1, CASE WHEN c.more_than THEN floor(c.on_roll * c.percent / 100) + 1 ELSE ceil(c.on_roll * c.percent / 100) END)
                FROM (
                    SELECT a2."Id",
                        count(m."Id") FILTER (WHERE m."Role" IN (1, 2) AND m."JoinedAt" <= a2."ClosedAt" AND (m."LeftAt" IS NULL OR m."LeftAt" > a2."ClosedAt")) AS on_roll,
                        count(m."Id") FILTER (WHERE m."Role" IN (1, 2) AND m."JoinedAt" <= a2."ClosedAt" AND (m."LeftAt" IS NULL OR m."LeftAt" > a2."ClosedAt") AND t."Present") AS present,
                        CASE WHEN a2."Call" = 2 THEN s."SecondCallQuorum_MoreThan" ELSE s."FirstCallQuorum_MoreThan" END AS more_than,
                        CASE WHEN a2."Call" = 2 THEN s."SecondCallQuorum_Percent" ELSE s."FirstCallQuorum_Percent" END AS percent
                    FROM assemblies a2
                    JOIN spaces s ON s."Id" = a2."SpaceId"
                    LEFT JOIN members m ON m."SpaceId" = a2."SpaceId"
                    LEFT JOIN attendance t ON t."AssemblyId" = a2."Id" AND t."MemberId" = m."Id"
                    WHERE a2."State" = 3
                    GROUP BY a2."Id", s."Id") AS c
                WHERE a."Id" = c."Id";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assembly_roll");

            migrationBuilder.DropColumn(
                name: "QuorumOnRollAtClose",
                table: "assemblies");

            migrationBuilder.DropColumn(
                name: "QuorumPresentAtClose",
                table: "assemblies");

            migrationBuilder.DropColumn(
                name: "QuorumRequiredAtClose",
                table: "assemblies");
        }
    }
}
