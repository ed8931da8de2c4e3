using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScoreDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DetailsJson",
                table: "household_scores",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DetailsJson",
                table: "household_scores");
        }
    }
}
