using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexesAndMemberKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_spaces_WatershedId",
                table: "spaces");

            migrationBuilder.DropIndex(
                name: "IX_proposals_SpaceId_CreatedAt",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_persons_WatershedId_CreatedAt",
                table: "persons");

            migrationBuilder.DropIndex(
                name: "IX_assemblies_SpaceId_ScheduledAt",
                table: "assemblies");

            migrationBuilder.DropColumn(
                name: "LockVersion",
                table: "ballots");

            migrationBuilder.CreateIndex(
                name: "IX_spaces_WatershedId_Name_Id",
                table: "spaces",
                columns: new[] { "WatershedId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_proposals_BallotId",
                table: "proposals",
                column: "BallotId");

            migrationBuilder.CreateIndex(
                name: "IX_proposals_SpaceId_CreatedAt_Id",
                table: "proposals",
                columns: new[] { "SpaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_proposals_SubmittedByOrganizationId",
                table: "proposals",
                column: "SubmittedByOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_proposals_SubmittedByPersonId",
                table: "proposals",
                column: "SubmittedByPersonId");

            migrationBuilder.CreateIndex(
                name: "IX_persons_WatershedId_FullName_Id",
                table: "persons",
                columns: new[] { "WatershedId", "FullName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_members_SpaceId",
                table: "members",
                column: "SpaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ballot_participations_MemberId",
                table: "ballot_participations",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_ballot_electors_MemberId",
                table: "ballot_electors",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_assemblies_SpaceId_ScheduledAt_Id",
                table: "assemblies",
                columns: new[] { "SpaceId", "ScheduledAt", "Id" },
                descending: new[] { false, true, false });

            migrationBuilder.AddForeignKey(
                name: "FK_ballot_electors_members_MemberId",
                table: "ballot_electors",
                column: "MemberId",
                principalTable: "members",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ballot_participations_members_MemberId",
                table: "ballot_participations",
                column: "MemberId",
                principalTable: "members",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_proposals_ballots_BallotId",
                table: "proposals",
                column: "BallotId",
                principalTable: "ballots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_proposals_organizations_SubmittedByOrganizationId",
                table: "proposals",
                column: "SubmittedByOrganizationId",
                principalTable: "organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_proposals_persons_SubmittedByPersonId",
                table: "proposals",
                column: "SubmittedByPersonId",
                principalTable: "persons",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ballot_electors_members_MemberId",
                table: "ballot_electors");

            migrationBuilder.DropForeignKey(
                name: "FK_ballot_participations_members_MemberId",
                table: "ballot_participations");

            migrationBuilder.DropForeignKey(
                name: "FK_proposals_ballots_BallotId",
                table: "proposals");

            migrationBuilder.DropForeignKey(
                name: "FK_proposals_organizations_SubmittedByOrganizationId",
                table: "proposals");

            migrationBuilder.DropForeignKey(
                name: "FK_proposals_persons_SubmittedByPersonId",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_spaces_WatershedId_Name_Id",
                table: "spaces");

            migrationBuilder.DropIndex(
                name: "IX_proposals_BallotId",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_proposals_SpaceId_CreatedAt_Id",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_proposals_SubmittedByOrganizationId",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_proposals_SubmittedByPersonId",
                table: "proposals");

            migrationBuilder.DropIndex(
                name: "IX_persons_WatershedId_FullName_Id",
                table: "persons");

            migrationBuilder.DropIndex(
                name: "IX_members_SpaceId",
                table: "members");

            migrationBuilder.DropIndex(
                name: "IX_ballot_participations_MemberId",
                table: "ballot_participations");

            migrationBuilder.DropIndex(
                name: "IX_ballot_electors_MemberId",
                table: "ballot_electors");

            migrationBuilder.DropIndex(
                name: "IX_assemblies_SpaceId_ScheduledAt_Id",
                table: "assemblies");

            migrationBuilder.AddColumn<long>(
                name: "LockVersion",
                table: "ballots",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_spaces_WatershedId",
                table: "spaces",
                column: "WatershedId");

            migrationBuilder.CreateIndex(
                name: "IX_proposals_SpaceId_CreatedAt",
                table: "proposals",
                columns: new[] { "SpaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_persons_WatershedId_CreatedAt",
                table: "persons",
                columns: new[] { "WatershedId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_assemblies_SpaceId_ScheduledAt",
                table: "assemblies",
                columns: new[] { "SpaceId", "ScheduledAt" });
        }
    }
}
