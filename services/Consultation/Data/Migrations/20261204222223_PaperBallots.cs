using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class PaperBallots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Blank",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PaperBallotsIssued",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PaperCounted",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // No ballot had paper ballots before: none has a count (PaperTallyState.NotRecorded = 1).
            migrationBuilder.AddColumn<int>(
                name: "PaperTally",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "Spoiled",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PaperAbstain",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperBallotsIssued",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperBlank",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperBlock",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperNo",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperSpoiled",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaperYes",
                table: "ballot_log",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ballot_paper_issues",
                columns: table => new
                {
                    BallotId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ballot_paper_issues", x => new { x.BallotId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_ballot_paper_issues_ballots_BallotId",
                        column: x => x.BallotId,
                        principalTable: "ballots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ballot_paper_issues_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ballot_paper_tallies",
                columns: table => new
                {
                    BallotId = table.Column<Guid>(type: "uuid", nullable: false),
                    Yes = table.Column<int>(type: "integer", nullable: false),
                    No = table.Column<int>(type: "integer", nullable: false),
                    Abstain = table.Column<int>(type: "integer", nullable: false),
                    Block = table.Column<int>(type: "integer", nullable: false),
                    Blank = table.Column<int>(type: "integer", nullable: false),
                    Spoiled = table.Column<int>(type: "integer", nullable: false),
                    EnteredBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AttestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AttestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ballot_paper_tallies", x => x.BallotId);
                    table.ForeignKey(
                        name: "FK_ballot_paper_tallies_ballots_BallotId",
                        column: x => x.BallotId,
                        principalTable: "ballots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ballot_paper_issues_MemberId",
                table: "ballot_paper_issues",
                column: "MemberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ballot_paper_issues");

            migrationBuilder.DropTable(
                name: "ballot_paper_tallies");

            migrationBuilder.DropColumn(
                name: "Blank",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "PaperBallotsIssued",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "PaperCounted",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "PaperTally",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "Spoiled",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "PaperAbstain",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperBallotsIssued",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperBlank",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperBlock",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperNo",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperSpoiled",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "PaperYes",
                table: "ballot_log");
        }
    }
}
