using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <summary>
    /// The default mapping no longer has a weight column (a normal export has none). A round stored without a mapping of
    /// its own read weights from "weight"; it keeps doing so through a mapping that names only that column, so its
    /// households stay weighted alike.
    /// </summary>
    public partial class UnweightedDefaultMapping : Migration
    {
        private const string WeightOnly =
            "{\"SubmissionIdColumns\":[],\"AreaColumn\":\"\",\"HouseholdColumn\":\"\",\"WeightColumn\":\"weight\",\"InterviewDateColumn\":\"\",\"AnswerColumns\":[]}";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"UPDATE survey_rounds SET \"ColumnMappingJson\" = '{WeightOnly}' WHERE \"ColumnMappingJson\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"UPDATE survey_rounds SET \"ColumnMappingJson\" = NULL WHERE \"ColumnMappingJson\" = '{WeightOnly}'");
        }
    }
}
