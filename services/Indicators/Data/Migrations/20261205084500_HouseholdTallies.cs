using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;

#nullable disable

namespace Watershed.Indicators.Data.Migrations
{
    /// <summary>
    /// PostgreSQL only (SQLite builds its schema from the model and sums households in memory): household_tallies holds the
    /// stored scores summed per round, indicator, area, interview date, kind (weighted, counted) and category
    /// (<see cref="HouseholdTally"/>), kept by statement-level triggers on household_scores, so every writer (the ingest's
    /// COPY, a custom indicator scoring stored households, the cascade of a removal) keeps it exact in its own
    /// transaction. A read sums a few of its rows instead of every household. The table is not in the EF model: only the
    /// database writes it, only <see cref="AreaFigures"/> reads it.
    /// </summary>
    [DbContext(typeof(IndicatorsDbContext))]
    [Migration("20261205084500_HouseholdTallies")]
    public partial class HouseholdTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider != "Npgsql.EntityFrameworkCore.PostgreSQL")
            {
                return;
            }

            var max = AnswerReader.MaxNumber.ToString(CultureInfo.InvariantCulture);
            var maxWeight = SurveyWeights.MaxWeight.ToString(CultureInfo.InvariantCulture);
            // The rule of HouseholdTally.Counts, written in SQL; the key's category is '' for a score without one.
            var grouped = $$"""
                SELECT "SurveyRoundId", "IndicatorCode", "AreaId", "InterviewDate", "Weighted", "Scored", "Category",
                       count(*) AS "Count",
                       sum(CASE WHEN "Scored" THEN coalesce("Weight", 1) END) AS "SumOfWeights",
                       sum(CASE WHEN "Scored" THEN coalesce("Weight", 1) * "Value" END) AS "WeightedSum"
                FROM (SELECT "SurveyRoundId", "IndicatorCode", "AreaId", "InterviewDate", "Weight", "Value",
                             coalesce("Category", '') AS "Category",
                             "Weight" IS NOT NULL AS "Weighted",
                             ("Value" IS NOT NULL AND abs("Value") <= {{max}}
                              AND ("Weight" IS NULL OR ("Weight" > 0 AND "Weight" <= {{maxWeight}}))) AS "Scored"
                      FROM {0}) AS s
                GROUP BY 1, 2, 3, 4, 5, 6, 7
                ORDER BY 1, 2, 3, 4, 5, 6, 7
                """;
            const string key = "\"SurveyRoundId\", \"IndicatorCode\", \"AreaId\", \"InterviewDate\", \"Weighted\", \"Scored\", \"Category\"";
            const string joined = """
                t."SurveyRoundId" = d."SurveyRoundId" AND t."IndicatorCode" = d."IndicatorCode" AND t."AreaId" = d."AreaId"
                AND t."InterviewDate" = d."InterviewDate" AND t."Weighted" = d."Weighted" AND t."Scored" = d."Scored" AND t."Category" = d."Category"
                """;
            migrationBuilder.Sql($"""
                CREATE TABLE household_tallies (
                    "SurveyRoundId" uuid NOT NULL,
                    "IndicatorCode" character varying(32) NOT NULL,
                    "AreaId" uuid NOT NULL,
                    "InterviewDate" date NOT NULL,
                    "Weighted" boolean NOT NULL,
                    "Scored" boolean NOT NULL,
                    "Category" character varying(40) NOT NULL,
                    "Count" bigint NOT NULL,
                    "SumOfWeights" numeric,
                    "WeightedSum" numeric,
                    CONSTRAINT "PK_household_tallies" PRIMARY KEY ("IndicatorCode", "AreaId", "InterviewDate", "SurveyRoundId", "Weighted", "Scored", "Category"));

                INSERT INTO household_tallies ({key}, "Count", "SumOfWeights", "WeightedSum")
                {string.Format(CultureInfo.InvariantCulture, grouped, "household_scores")};

                CREATE FUNCTION household_tallies_add() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO household_tallies AS t ({key}, "Count", "SumOfWeights", "WeightedSum")
                    {string.Format(CultureInfo.InvariantCulture, grouped, "added")}
                    ON CONFLICT ({key}) DO UPDATE SET
                        "Count" = t."Count" + EXCLUDED."Count",
                        "SumOfWeights" = t."SumOfWeights" + EXCLUDED."SumOfWeights",
                        "WeightedSum" = t."WeightedSum" + EXCLUDED."WeightedSum";
                    RETURN NULL;
                END $$;

                CREATE FUNCTION household_tallies_subtract() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Locked in the order the insert trigger writes its keys, so a removal and an ingest never deadlock on them.
                    PERFORM 1 FROM household_tallies AS t JOIN ({string.Format(CultureInfo.InvariantCulture, grouped, "removed")}) AS d ON {joined}
                    ORDER BY t."SurveyRoundId", t."IndicatorCode", t."AreaId", t."InterviewDate", t."Weighted", t."Scored", t."Category" FOR UPDATE OF t;
                    UPDATE household_tallies AS t SET
                        "Count" = t."Count" - d."Count",
                        "SumOfWeights" = t."SumOfWeights" - d."SumOfWeights",
                        "WeightedSum" = t."WeightedSum" - d."WeightedSum"
                    FROM ({string.Format(CultureInfo.InvariantCulture, grouped, "removed")}) AS d
                    WHERE {joined};
                    DELETE FROM household_tallies AS t USING ({string.Format(CultureInfo.InvariantCulture, grouped, "removed")}) AS d
                    WHERE {joined} AND t."Count" = 0;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION household_tallies_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Locked in the order the insert trigger writes its keys, so a removal and an ingest never deadlock on them.
                    PERFORM 1 FROM household_tallies AS t JOIN ({string.Format(CultureInfo.InvariantCulture, grouped, "removed")}) AS d ON {joined}
                    ORDER BY t."SurveyRoundId", t."IndicatorCode", t."AreaId", t."InterviewDate", t."Weighted", t."Scored", t."Category" FOR UPDATE OF t;
                    UPDATE household_tallies AS t SET
                        "Count" = t."Count" - d."Count",
                        "SumOfWeights" = t."SumOfWeights" - d."SumOfWeights",
                        "WeightedSum" = t."WeightedSum" - d."WeightedSum"
                    FROM ({string.Format(CultureInfo.InvariantCulture, grouped, "removed")}) AS d
                    WHERE {joined};
                    INSERT INTO household_tallies AS t ({key}, "Count", "SumOfWeights", "WeightedSum")
                    {string.Format(CultureInfo.InvariantCulture, grouped, "added")}
                    ON CONFLICT ({key}) DO UPDATE SET
                        "Count" = t."Count" + EXCLUDED."Count",
                        "SumOfWeights" = t."SumOfWeights" + EXCLUDED."SumOfWeights",
                        "WeightedSum" = t."WeightedSum" + EXCLUDED."WeightedSum";
                    DELETE FROM household_tallies AS t WHERE t."Count" = 0;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER household_tallies_on_insert AFTER INSERT ON household_scores
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION household_tallies_add();
                CREATE TRIGGER household_tallies_on_delete AFTER DELETE ON household_scores
                    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION household_tallies_subtract();
                CREATE TRIGGER household_tallies_on_update AFTER UPDATE ON household_scores
                    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION household_tallies_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider != "Npgsql.EntityFrameworkCore.PostgreSQL")
            {
                return;
            }

            migrationBuilder.Sql("""
                DROP TRIGGER household_tallies_on_insert ON household_scores;
                DROP TRIGGER household_tallies_on_delete ON household_scores;
                DROP TRIGGER household_tallies_on_update ON household_scores;
                DROP FUNCTION household_tallies_add();
                DROP FUNCTION household_tallies_subtract();
                DROP FUNCTION household_tallies_change();
                DROP TABLE household_tallies;
                """);
        }
    }
}
