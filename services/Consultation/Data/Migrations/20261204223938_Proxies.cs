using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class Proxies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MaxProxiesPerHolder",
                table: "spaces",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "ProxiesCountForQuorum",
                table: "spaces",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "HolderMemberId",
                table: "ballot_electors",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RepresentedBy",
                table: "assembly_roll",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuorumRepresentedAtClose",
                table: "assemblies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuorumRepresentedAtOpen",
                table: "assemblies",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "assembly_proxies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AssemblyId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    HolderMemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    DocumentReference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RegisteredBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assembly_proxies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assembly_proxies_assemblies_AssemblyId",
                        column: x => x.AssemblyId,
                        principalTable: "assemblies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assembly_proxies_members_HolderMemberId",
                        column: x => x.HolderMemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assembly_proxies_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ballot_electors_HolderMemberId",
                table: "ballot_electors",
                column: "HolderMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_assembly_proxies_AssemblyId_HolderMemberId",
                table: "assembly_proxies",
                columns: new[] { "AssemblyId", "HolderMemberId" });

            migrationBuilder.CreateIndex(
                name: "IX_assembly_proxies_AssemblyId_MemberId",
                table: "assembly_proxies",
                columns: new[] { "AssemblyId", "MemberId" },
                unique: true,
                filter: "\"RevokedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_assembly_proxies_HolderMemberId",
                table: "assembly_proxies",
                column: "HolderMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_assembly_proxies_MemberId",
                table: "assembly_proxies",
                column: "MemberId");

            migrationBuilder.AddForeignKey(
                name: "FK_ballot_electors_members_HolderMemberId",
                table: "ballot_electors",
                column: "HolderMemberId",
                principalTable: "members",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ballot_electors_members_HolderMemberId",
                table: "ballot_electors");

            migrationBuilder.DropTable(
                name: "assembly_proxies");

            migrationBuilder.DropIndex(
                name: "IX_ballot_electors_HolderMemberId",
                table: "ballot_electors");

            migrationBuilder.DropColumn(
                name: "MaxProxiesPerHolder",
                table: "spaces");

            migrationBuilder.DropColumn(
                name: "ProxiesCountForQuorum",
                table: "spaces");

            migrationBuilder.DropColumn(
                name: "HolderMemberId",
                table: "ballot_electors");

            migrationBuilder.DropColumn(
                name: "RepresentedBy",
                table: "assembly_roll");

            migrationBuilder.DropColumn(
                name: "QuorumRepresentedAtClose",
                table: "assemblies");

            migrationBuilder.DropColumn(
                name: "QuorumRepresentedAtOpen",
                table: "assemblies");
        }
    }
}
