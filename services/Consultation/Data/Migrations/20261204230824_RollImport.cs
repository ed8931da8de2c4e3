using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Consultation.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NationalId",
                table: "persons",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_persons_WatershedId_NationalId",
                table: "persons",
                columns: new[] { "WatershedId", "NationalId" },
                unique: true,
                filter: "\"NationalId\" <> ''");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_persons_WatershedId_NationalId",
                table: "persons");

            migrationBuilder.DropColumn(
                name: "NationalId",
                table: "persons");
        }
    }
}
