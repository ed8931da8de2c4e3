using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <inheritdoc />
    public partial class RoundLcsStrategies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LcsStrategies",
                table: "survey_rounds",
                type: "character varying(1100)",
                maxLength: 1100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LcsStrategies",
                table: "survey_rounds");
        }
    }
}
