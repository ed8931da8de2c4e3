using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportBatchesAndRemovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ImportBatchId",
                table: "submissions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "import_batches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurveyRoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    StoredRows = table.Column<int>(type: "integer", nullable: false),
                    StoredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StoredBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RemovalId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_batches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_import_batches_survey_rounds_SurveyRoundId",
                        column: x => x.SurveyRoundId,
                        principalTable: "survey_rounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "submission_removals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurveyRoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    ImportBatchId = table.Column<Guid>(type: "uuid", nullable: true),
                    SubmissionIdsJson = table.Column<string>(type: "text", nullable: false),
                    AreaIdsJson = table.Column<string>(type: "text", nullable: false),
                    RemovedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    RemovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_submission_removals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_submission_removals_import_batches_ImportBatchId",
                        column: x => x.ImportBatchId,
                        principalTable: "import_batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_submission_removals_survey_rounds_SurveyRoundId",
                        column: x => x.SurveyRoundId,
                        principalTable: "survey_rounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_submissions_ImportBatchId",
                table: "submissions",
                column: "ImportBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_import_batches_SurveyRoundId_StoredAt_Id",
                table: "import_batches",
                columns: new[] { "SurveyRoundId", "StoredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_submission_removals_ImportBatchId",
                table: "submission_removals",
                column: "ImportBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_submission_removals_SurveyRoundId_RemovedAt_Id",
                table: "submission_removals",
                columns: new[] { "SurveyRoundId", "RemovedAt", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_submissions_import_batches_ImportBatchId",
                table: "submissions",
                column: "ImportBatchId",
                principalTable: "import_batches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_submissions_import_batches_ImportBatchId",
                table: "submissions");

            migrationBuilder.DropTable(
                name: "submission_removals");

            migrationBuilder.DropTable(
                name: "import_batches");

            migrationBuilder.DropIndex(
                name: "IX_submissions_ImportBatchId",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "ImportBatchId",
                table: "submissions");
        }
    }
}
