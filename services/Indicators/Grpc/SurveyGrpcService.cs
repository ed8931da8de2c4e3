using System.Text;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DomainImportMode = Watershed.Indicators.Domain.Ingest.ImportMode;
using FcsCutoffs = Watershed.Indicators.Domain.Standard.FcsCutoffs;
using ImportMode = Watershed.Indicators.V1.ImportMode;

namespace Watershed.Indicators.Grpc;

public sealed class SurveyGrpcService(IndicatorsDbContext db, SurveyIngest ingest, TimeProvider clock) : SurveyService.SurveyServiceBase
{
    /// <summary>One stream is one batch held in memory and stored in one transaction, so it is bounded.</summary>
    public const int MaxUploadSubmissions = 20_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override async Task<CreateSurveyRoundResponse> CreateSurveyRound(CreateSurveyRoundRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = v.Text(request.Name, "name");
        v.Enum(request.FcsCutoffs, "fcs_cutoffs");
        var mapping = request.ColumnMapping?.ToDomain(v, "column_mapping");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.WatershedCode, Roles.Facilitator);
        if (await db.SurveyRounds.AnyAsync(r => r.WatershedAreaId == watershed.Id && r.Name == name, ct))
        {
            throw Exists(name);
        }

        var round = new SurveyRoundRow
        {
            Id = Guid.CreateVersion7(),
            WatershedAreaId = watershed.Id,
            Name = name,
            FcsCutoffs = request.FcsCutoffs.ToDomain<FcsCutoffs>(),
            ColumnMappingJson = mapping is null ? null : ColumnMappingJson.Write(mapping),
            CreatedAt = clock.GetUtcNow(),
        };
        db.SurveyRounds.Add(round);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Exists(name);
        }

        return new CreateSurveyRoundResponse { SurveyRound = round.ToContract() };
    }

    public override async Task<GetSurveyRoundResponse> GetSurveyRound(GetSurveyRoundRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.Id, "id");
        v.ThrowIfInvalid();
        var (round, watershed) = await db.RoundAsync(id, context.CancellationToken);
        context.Caller().RequireRead(watershed.WatershedCode);
        return new GetSurveyRoundResponse { SurveyRound = round.ToContract() };
    }

    public override async Task<ListSurveyRoundsResponse> ListSurveyRounds(ListSurveyRoundsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var items = await db.SurveyRounds.AsNoTracking().Where(r => r.WatershedAreaId == watershed.Id)
            .OrderBy(r => r.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListSurveyRoundsResponse { Page = page.Next(items) };
        response.SurveyRounds.AddRange(items.Select(r => r.ToContract()));
        return response;
    }

    public override async Task<ImportSubmissionsResponse> ImportSubmissions(ImportSubmissionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        v.OptionalEnum(request.Mode, "mode");
        string text = "";
        if (request.Csv.IsEmpty)
        {
            v.Add("csv", "is required");
        }
        else
        {
            try
            {
                text = StrictUtf8.GetString(request.Csv.Span);
            }
            catch (DecoderFallbackException)
            {
                v.Add("csv", "is not UTF-8 text");
            }
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().Require(watershed.WatershedCode, Roles.Facilitator);
        var table = KoboCsv.Read(new StringReader(text));
        var plan = await ingest.IngestAsync(round, watershed, table, Mode(request.Mode), ct);
        return new ImportSubmissionsResponse { Result = plan.ToContract() };
    }

    public override async Task<UploadSubmissionsResponse> UploadSubmissions(IAsyncStreamReader<UploadSubmissionsRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var v = new Validation();
        if (!await requestStream.MoveNext(ct) || requestStream.Current.ItemCase != UploadSubmissionsRequest.ItemOneofCase.Header)
        {
            v.Add("header", "is required: the first message of the stream names the survey round");
            v.ThrowIfInvalid();
        }

        var header = requestStream.Current.Header;
        var roundId = v.Id(header.SurveyRoundId, "header.survey_round_id");
        v.OptionalEnum(header.Mode, "header.mode");
        v.ThrowIfInvalid();
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().Require(watershed.WatershedCode, Roles.Facilitator);

        var submissions = new List<UploadedSubmission>();
        while (await requestStream.MoveNext(ct))
        {
            var message = requestStream.Current;
            var at = $"submissions[{submissions.Count}]";
            if (message.ItemCase != UploadSubmissionsRequest.ItemOneofCase.Submission)
            {
                v.Add(at, "must be a submission: only the first message is a header");
                break;
            }

            if (submissions.Count == MaxUploadSubmissions)
            {
                v.Add("submissions", $"a stream holds at most {MaxUploadSubmissions} submissions; send more streams");
                break;
            }

            var s = message.Submission;
            submissions.Add(new UploadedSubmission(s.Id, s.Area, s.HouseholdId, s.Weight, s.InterviewDate, s.Answers));
        }

        v.Check(submissions.Count > 0 || !v.IsValid, "submissions", "the stream has no submission after the header");
        v.ThrowIfInvalid();
        var table = UploadTable.Build(SurveyIngest.MappingOf(round), submissions);
        var plan = await ingest.IngestAsync(round, watershed, table, Mode(header.Mode), ct);
        return new UploadSubmissionsResponse { Result = plan.ToContract() };
    }

    public override async Task<ListSubmissionsResponse> ListSubmissions(ListSubmissionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var areaId = v.OptionalId(request.AreaId, "area_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var query = await SubmissionsAsync(round, areas, areaId, ct);
        var items = await query.Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var codes = areas.ToDictionary(a => a.Id, a => a.Code);
        var response = new ListSubmissionsResponse { Page = page.Next(items) };
        response.Submissions.AddRange(items.Select(s => ToContract(s, codes[s.AreaId])));
        return response;
    }

    public override async Task<GetSubmissionResponse> GetSubmission(GetSubmissionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var id = v.Text(request.Id, "id", 100);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var submission = await db.Submissions.AsNoTracking().SingleOrDefaultAsync(s => s.SurveyRoundId == round.Id && s.SubmissionId == id, ct)
            ?? throw new NotFoundException("submission", id);
        var area = await db.AreaAsync(submission.AreaId, ct);
        var scores = await db.HouseholdScores.AsNoTracking().Where(s => s.SubmissionRowId == submission.Id).ToListAsync(ct);
        var order = (await db.IndicatorsAsync(watershed.Id, ct)).Select((indicator, i) => (indicator.Code, i)).ToDictionary(p => p.Code, p => p.i);
        var response = new GetSubmissionResponse { Submission = ToContract(submission, area.Code) };
        response.Scores.AddRange(scores.OrderBy(s => order.GetValueOrDefault(s.IndicatorCode, int.MaxValue)).Select(s =>
        {
            var score = new HouseholdScore { IndicatorCode = s.IndicatorCode, Category = s.Category ?? "" };
            if (s.Value is { } value)
            {
                score.Value = (double)value;
            }

            score.MissingFields.AddRange(s.MissingFields.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return score;
        }));
        return response;
    }

    public override async Task<ExportSubmissionsCsvResponse> ExportSubmissionsCsv(ExportSubmissionsCsvRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var areaId = v.OptionalId(request.AreaId, "area_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireRead(watershed.WatershedCode);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var codes = areas.ToDictionary(a => a.Id, a => a.Code);
        var rows = await (await SubmissionsAsync(round, areas, areaId, ct)).ToListAsync(ct);
        var writer = new StringWriter();
        KoboCsv.Write(writer, rows.Select(s => new HouseholdSubmission(
            s.SubmissionId, round.Id.ToString(), codes[s.AreaId], s.HouseholdId, s.Weight, s.InterviewDate, AnswersJson.Read(s.AnswersJson))), SurveyIngest.MappingOf(round));
        return new ExportSubmissionsCsvResponse { Csv = Google.Protobuf.ByteString.CopyFromUtf8(writer.ToString()) };
    }

    /// <summary>The round's submissions in the order they were stored, of one area and the areas inside it when asked.</summary>
    private async Task<IQueryable<SubmissionRow>> SubmissionsAsync(SurveyRoundRow round, List<AreaRow> areas, Guid? areaId, CancellationToken ct)
    {
        var query = db.Submissions.AsNoTracking().Where(s => s.SurveyRoundId == round.Id);
        if (areaId is { } id)
        {
            if (areas.All(a => a.Id != id))
            {
                await db.AreaAsync(id, ct);
                throw new InvalidArgumentException("area_id", "is not an area of the round's watershed");
            }

            var inside = Lookups.Hierarchy(areas).SelfAndDescendants(id.ToString()).Select(Guid.Parse).ToList();
            query = query.Where(s => inside.Contains(s.AreaId));
        }

        return query.OrderBy(s => s.StoredAt).ThenBy(s => s.Row);
    }

    private static Submission ToContract(SubmissionRow s, string areaCode)
    {
        var submission = new Submission
        {
            Id = s.SubmissionId,
            SurveyRoundId = s.SurveyRoundId.ToString(),
            AreaId = s.AreaId.ToString(),
            AreaCode = areaCode,
            HouseholdId = s.HouseholdId,
            InterviewDate = s.InterviewDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (s.Weight is { } weight)
        {
            submission.Weight = (double)weight;
        }

        submission.Answers.Add(AnswersJson.Read(s.AnswersJson).ToDictionary());
        return submission;
    }

    private static DomainImportMode Mode(ImportMode mode) =>
        mode == ImportMode.GoodRowsOnly ? DomainImportMode.GoodRowsOnly : DomainImportMode.AllOrNothing;

    private static AlreadyExistsException Exists(string name) =>
        new("survey_round", name, $"The watershed has a survey round named '{name}' already.");
}
