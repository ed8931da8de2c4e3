using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Security;
using CustomAggregation = Watershed.Indicators.Domain.Custom.CustomAggregation;
using ComparisonOperator = Watershed.Indicators.Domain.ComparisonOperator;
using Condition = Watershed.Indicators.Domain.Condition;
using Direction = Watershed.Indicators.Domain.Direction;

namespace Watershed.Indicators.Grpc;

public sealed class IndicatorGrpcService(IndicatorsDbContext db, TimeProvider clock) : IndicatorService.IndicatorServiceBase
{
    public override async Task<ListIndicatorsResponse> ListIndicators(ListIndicatorsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
        var response = new ListIndicatorsResponse();
        response.Indicators.AddRange(Domain.Standard.HouseholdScorer.Indicators.Select(i => i.ToContract(null)));
        response.Indicators.AddRange(customs.Select(c => c.Info.ToContract(c)));
        return response;
    }

    public override async Task<GetIndicatorResponse> GetIndicator(GetIndicatorRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var code = v.Text(request.Code, "code", 32);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var custom = (await db.CustomIndicatorsAsync(watershed.Id, ct)).FirstOrDefault(c => c.Code == code);
        var info = custom?.Info ?? Domain.Standard.HouseholdScorer.Find(code) ?? throw new NotFoundException("indicator", code);
        return new GetIndicatorResponse { Indicator = info.ToContract(custom) };
    }

    public override async Task<CreateCustomIndicatorResponse> CreateCustomIndicator(CreateCustomIndicatorRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        v.Check(request.Definition is not null, "definition", "is required");
        var definition = request.Definition ?? new CustomDefinition();
        Condition? condition = null;
        if (definition.Condition is { } c)
        {
            var threshold = v.Decimal(c.Threshold, "definition.condition.threshold");
            condition = new Condition(c.Operator.ToDomain<ComparisonOperator>(), threshold ?? 0m);
        }

        // The domain names every problem of the definition; unset enums arrive as undefined values and are reported.
        var created = new CustomIndicatorDefinition(
            request.Code.Trim(), request.Name.Trim(), request.Unit.Trim(), request.Direction.ToDomain<Direction>(),
            definition.Aggregation.ToDomain<CustomAggregation>(), condition, definition.AnswerField.Trim());
        foreach (var error in created.Validate())
        {
            v.Add(error.Field is "code" or "name" or "unit" or "direction" ? error.Field : $"definition.{error.Field}", error.Reason);
        }

        v.OptionalText(created.Name, "name", 200);
        v.OptionalText(created.Unit, "unit", 60);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.WatershedCode, Roles.Facilitator);
        if (await db.CustomIndicators.AnyAsync(c => c.WatershedAreaId == watershed.Id && c.Code == created.Code, ct))
        {
            throw Exists(created.Code);
        }

        db.CustomIndicators.Add(new CustomIndicatorRow
        {
            Id = Guid.CreateVersion7(),
            WatershedAreaId = watershed.Id,
            Code = created.Code,
            Name = created.Name,
            Unit = created.Unit,
            Direction = created.Direction,
            Aggregation = created.Aggregation,
            ConditionOperator = created.Condition?.Operator,
            ConditionThreshold = created.Condition?.Threshold,
            AnswerField = created.AnswerField,
            CreatedAt = clock.GetUtcNow(),
        });
        await ScoreStoredHouseholdsAsync(watershed, created, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Exists(created.Code);
        }

        return new CreateCustomIndicatorResponse { Indicator = created.Info.ToContract(created) };
    }

    /// <summary>
    /// Households already stored get their score on the new indicator now, in the same save, so aggregation keeps
    /// reading stored scores only. An answer that cannot be read counts as missing: the row was accepted long ago.
    /// </summary>
    private async Task ScoreStoredHouseholdsAsync(AreaRow watershed, CustomIndicatorDefinition indicator, CancellationToken ct)
    {
        var rounds = await db.SurveyRounds.AsNoTracking().Where(r => r.WatershedAreaId == watershed.Id).ToListAsync(ct);
        foreach (var round in rounds)
        {
            var mapping = SurveyIngest.MappingOf(round);
            var submissions = await db.Submissions.AsNoTracking().Where(s => s.SurveyRoundId == round.Id).ToListAsync(ct);
            foreach (var s in submissions)
            {
                var result = indicator.Read(mapping.ToAnswerSheet(AnswersJson.Read(s.AnswersJson)));
                var score = indicator.ToStoredScore(result);
                db.HouseholdScores.Add(new HouseholdScoreRow
                {
                    SubmissionRowId = s.Id,
                    IndicatorCode = indicator.Code,
                    SurveyRoundId = round.Id,
                    AreaId = s.AreaId,
                    InterviewDate = s.InterviewDate,
                    Weight = s.Weight,
                    Value = score.Value,
                    Category = score.Category,
                    MissingFields = result.IsRejected ? indicator.AnswerField : string.Join(' ', score.MissingFields),
                });
            }
        }
    }

    private static AlreadyExistsException Exists(string code) =>
        new("indicator", code, $"The watershed has an indicator with code '{code}' already.");
}
