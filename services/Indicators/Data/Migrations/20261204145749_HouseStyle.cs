using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <inheritdoc />
    public partial class HouseStyle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_plan_targets_PlanId_CreatedAt",
                table: "plan_targets");

            migrationBuilder.DropIndex(
                name: "IX_areas_ParentId",
                table: "areas");

            migrationBuilder.DropIndex(
                name: "IX_alerts_RuleId_ChangedAt",
                table: "alerts");

            migrationBuilder.DropIndex(
                name: "IX_alert_rules_AreaId_CreatedAt",
                table: "alert_rules");

            migrationBuilder.AddColumn<Guid>(
                name: "AreaId",
                table: "alerts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "Sequence",
                table: "alerts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Domain enums became their proto twins (numbered from 1, as the contract is): stored values move up by one.
            migrationBuilder.Sql("""UPDATE survey_rounds SET "FcsCutoffs" = "FcsCutoffs" + 1;""");
            migrationBuilder.Sql("""UPDATE custom_indicators SET "Direction" = "Direction" + 1, "Aggregation" = "Aggregation" + 1, "ConditionOperator" = "ConditionOperator" + 1;""");
            migrationBuilder.Sql("""UPDATE plan_targets SET "Direction" = "Direction" + 1;""");
            migrationBuilder.Sql("""UPDATE alert_rules SET "Operator" = "Operator" + 1, "PeriodType" = "PeriodType" + 1;""");

            // An alert carries its rule's area, and its place in the rule's history in the order it was listed.
            migrationBuilder.Sql("""UPDATE alerts SET "AreaId" = r."AreaId" FROM alert_rules r WHERE r."Id" = alerts."RuleId";""");
            migrationBuilder.Sql("""
                UPDATE alerts SET "Sequence" = numbered.sequence
                FROM (SELECT "Id", row_number() OVER (PARTITION BY "RuleId" ORDER BY "PeriodStart", "ChangedAt", "Id") AS sequence FROM alerts) numbered
                WHERE numbered."Id" = alerts."Id";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_survey_rounds_WatershedAreaId_Id",
                table: "survey_rounds",
                columns: new[] { "WatershedAreaId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_submissions_SurveyRoundId_StoredAt_Row_Id",
                table: "submissions",
                columns: new[] { "SurveyRoundId", "StoredAt", "Row", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_plan_targets_PlanId_CreatedAt_Id",
                table: "plan_targets",
                columns: new[] { "PlanId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_household_scores_AreaId",
                table: "household_scores",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_household_scores_SurveyRoundId",
                table: "household_scores",
                column: "SurveyRoundId");

            migrationBuilder.CreateIndex(
                name: "IX_areas_ParentId_Level_Name_Id",
                table: "areas",
                columns: new[] { "ParentId", "Level", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_areas_WatershedCode_Level_Name_Id",
                table: "areas",
                columns: new[] { "WatershedCode", "Level", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_alerts_AreaId_PeriodStart_ChangedAt_Id",
                table: "alerts",
                columns: new[] { "AreaId", "PeriodStart", "ChangedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_alerts_AreaId_State_PeriodStart_ChangedAt_Id",
                table: "alerts",
                columns: new[] { "AreaId", "State", "PeriodStart", "ChangedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_alerts_RuleId_Sequence",
                table: "alerts",
                columns: new[] { "RuleId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_alert_rules_AreaId_CreatedAt_Id",
                table: "alert_rules",
                columns: new[] { "AreaId", "CreatedAt", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_alerts_areas_AreaId",
                table: "alerts",
                column: "AreaId",
                principalTable: "areas",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_household_scores_areas_AreaId",
                table: "household_scores",
                column: "AreaId",
                principalTable: "areas",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_household_scores_survey_rounds_SurveyRoundId",
                table: "household_scores",
                column: "SurveyRoundId",
                principalTable: "survey_rounds",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE survey_rounds SET "FcsCutoffs" = "FcsCutoffs" - 1;""");
            migrationBuilder.Sql("""UPDATE custom_indicators SET "Direction" = "Direction" - 1, "Aggregation" = "Aggregation" - 1, "ConditionOperator" = "ConditionOperator" - 1;""");
            migrationBuilder.Sql("""UPDATE plan_targets SET "Direction" = "Direction" - 1;""");
            migrationBuilder.Sql("""UPDATE alert_rules SET "Operator" = "Operator" - 1, "PeriodType" = "PeriodType" - 1;""");

            migrationBuilder.DropForeignKey(
                name: "FK_alerts_areas_AreaId",
                table: "alerts");

            migrationBuilder.DropForeignKey(
                name: "FK_household_scores_areas_AreaId",
                table: "household_scores");

            migrationBuilder.DropForeignKey(
                name: "FK_household_scores_survey_rounds_SurveyRoundId",
                table: "household_scores");

            migrationBuilder.DropIndex(
                name: "IX_survey_rounds_WatershedAreaId_Id",
                table: "survey_rounds");

            migrationBuilder.DropIndex(
                name: "IX_submissions_SurveyRoundId_StoredAt_Row_Id",
                table: "submissions");

            migrationBuilder.DropIndex(
                name: "IX_plan_targets_PlanId_CreatedAt_Id",
                table: "plan_targets");

            migrationBuilder.DropIndex(
                name: "IX_household_scores_AreaId",
                table: "household_scores");

            migrationBuilder.DropIndex(
                name: "IX_household_scores_SurveyRoundId",
                table: "household_scores");

            migrationBuilder.DropIndex(
                name: "IX_areas_ParentId_Level_Name_Id",
                table: "areas");

            migrationBuilder.DropIndex(
                name: "IX_areas_WatershedCode_Level_Name_Id",
                table: "areas");

            migrationBuilder.DropIndex(
                name: "IX_alerts_AreaId_PeriodStart_ChangedAt_Id",
                table: "alerts");

            migrationBuilder.DropIndex(
                name: "IX_alerts_AreaId_State_PeriodStart_ChangedAt_Id",
                table: "alerts");

            migrationBuilder.DropIndex(
                name: "IX_alerts_RuleId_Sequence",
                table: "alerts");

            migrationBuilder.DropIndex(
                name: "IX_alert_rules_AreaId_CreatedAt_Id",
                table: "alert_rules");

            migrationBuilder.DropColumn(
                name: "AreaId",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "alerts");

            migrationBuilder.CreateIndex(
                name: "IX_plan_targets_PlanId_CreatedAt",
                table: "plan_targets",
                columns: new[] { "PlanId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_areas_ParentId",
                table: "areas",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_alerts_RuleId_ChangedAt",
                table: "alerts",
                columns: new[] { "RuleId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_alert_rules_AreaId_CreatedAt",
                table: "alert_rules",
                columns: new[] { "AreaId", "CreatedAt" });
        }
    }
}
