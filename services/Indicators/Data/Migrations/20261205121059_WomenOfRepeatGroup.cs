using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <summary>
    /// MDD-W's repeat group: a household's women (their answers, on the submission) and one score row per woman
    /// (household_scores."Woman" 1, 2, …; 0 is the household's own figure, which every row stored before is). The
    /// household_tallies triggers sum every score row, so each woman counts once. Going down drops the women's score rows
    /// first (the triggers take them out of the sums), since the older key holds one MDD-W row per household.
    /// </summary>
    public partial class WomenOfRepeatGroup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_household_scores",
                table: "household_scores");

            migrationBuilder.AddColumn<string>(
                name: "WomenJson",
                table: "submissions",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "Woman",
                table: "household_scores",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_household_scores",
                table: "household_scores",
                columns: new[] { "SubmissionRowId", "IndicatorCode", "Woman" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM household_scores WHERE \"Woman\" > 0;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_household_scores",
                table: "household_scores");

            migrationBuilder.DropColumn(
                name: "WomenJson",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "Woman",
                table: "household_scores");

            migrationBuilder.AddPrimaryKey(
                name: "PK_household_scores",
                table: "household_scores",
                columns: new[] { "SubmissionRowId", "IndicatorCode" });
        }
    }
}
