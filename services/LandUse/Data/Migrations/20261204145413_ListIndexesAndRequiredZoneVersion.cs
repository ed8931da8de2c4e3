using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.LandUse.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexesAndRequiredZoneVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_plans_WatershedId_CreatedAt",
                table: "plans");

            // A zone belongs to its version. The relationship deleted severed zones already, so none should be
            // without one; any such row is meaningless and would stop the column from becoming NOT NULL.
            migrationBuilder.Sql("DELETE FROM zones WHERE \"PlanVersionId\" IS NULL;");

            migrationBuilder.AlterColumn<Guid>(
                name: "PlanVersionId",
                table: "zones",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_plans_CreatedAt_Id",
                table: "plans",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_plans_WatershedId_CreatedAt_Id",
                table: "plans",
                columns: new[] { "WatershedId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_plans_CreatedAt_Id",
                table: "plans");

            migrationBuilder.DropIndex(
                name: "IX_plans_WatershedId_CreatedAt_Id",
                table: "plans");

            migrationBuilder.AlterColumn<Guid>(
                name: "PlanVersionId",
                table: "zones",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.CreateIndex(
                name: "IX_plans_WatershedId_CreatedAt",
                table: "plans",
                columns: new[] { "WatershedId", "CreatedAt" });
        }
    }
}
