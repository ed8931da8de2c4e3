using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class VoidedVotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_ballot_participations",
                table: "ballot_participations");

            migrationBuilder.DropIndex(
                name: "IX_ballot_log_BallotId_ReceiptCode",
                table: "ballot_log");

            migrationBuilder.AddColumn<int>(
                name: "Voided",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "VoidedAt",
                table: "ballot_participations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidedBy",
                table: "ballot_participations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VoidedBySequence",
                table: "ballot_participations",
                type: "bigint",
                nullable: true);

            // Every entry written before voids existed is a vote (BallotLogEntryKind.Vote = 1).
            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "ballot_log",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "ballot_log",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VoidedSequence",
                table: "ballot_log",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ballot_participations",
                table: "ballot_participations",
                columns: new[] { "BallotId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ballot_participations_BallotId_MemberId",
                table: "ballot_participations",
                columns: new[] { "BallotId", "MemberId" },
                unique: true,
                filter: "\"VoidedBySequence\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ballot_log_BallotId_ReceiptCode",
                table: "ballot_log",
                columns: new[] { "BallotId", "ReceiptCode" },
                unique: true,
                filter: "\"ReceiptCode\" <> ''");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_ballot_participations",
                table: "ballot_participations");

            migrationBuilder.DropIndex(
                name: "IX_ballot_participations_BallotId_MemberId",
                table: "ballot_participations");

            migrationBuilder.DropIndex(
                name: "IX_ballot_log_BallotId_ReceiptCode",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "Voided",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "VoidedAt",
                table: "ballot_participations");

            migrationBuilder.DropColumn(
                name: "VoidedBy",
                table: "ballot_participations");

            migrationBuilder.DropColumn(
                name: "VoidedBySequence",
                table: "ballot_participations");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "ballot_log");

            migrationBuilder.DropColumn(
                name: "VoidedSequence",
                table: "ballot_log");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ballot_participations",
                table: "ballot_participations",
                columns: new[] { "BallotId", "MemberId" });

            migrationBuilder.CreateIndex(
                name: "IX_ballot_log_BallotId_ReceiptCode",
                table: "ballot_log",
                columns: new[] { "BallotId", "ReceiptCode" },
                unique: true);
        }
    }
}
