using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class SecretCountsAndReceiptFreeBallots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ShowRunningCounts",
                table: "spaces",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Ballots opened before receipt-free mode existed published every receipt code: linked (ReceiptMode.Linked = 2).
            migrationBuilder.AddColumn<int>(
                name: "Receipts",
                table: "ballots",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<bool>(
                name: "ShowsRunningCounts",
                table: "ballots",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Ballots opened before receipt-free mode existed published every receipt code: linked (ReceiptMode.Linked = 2).
            migrationBuilder.AddColumn<int>(
                name: "Receipts",
                table: "ballot_participations",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.CreateIndex(
                name: "IX_ballot_participations_BallotId_ReceiptCode",
                table: "ballot_participations",
                columns: new[] { "BallotId", "ReceiptCode" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ballot_participations_BallotId_ReceiptCode",
                table: "ballot_participations");

            migrationBuilder.DropColumn(
                name: "ShowRunningCounts",
                table: "spaces");

            migrationBuilder.DropColumn(
                name: "Receipts",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "ShowsRunningCounts",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "Receipts",
                table: "ballot_participations");
        }
    }
}
