using System.Text;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DomainImportMode = Watershed.Indicators.Domain.Ingest.ImportMode;
using FcsCutoffs = Watershed.Indicators.Domain.Standard.FcsCutoffs;
using LcsStrategies = Watershed.Indicators.Domain.Standard.LcsStrategies;
using ImportMode = Watershed.Indicators.V1.ImportMode;
using ImportBatch = Watershed.Indicators.Domain.Ingest.ImportBatch;
using Submission = Watershed.Indicators.Domain.Ingest.Submission;
using SubmissionRemoval = Watershed.Indicators.Domain.Ingest.SubmissionRemoval;
using SurveyRound = Watershed.Indicators.Domain.Ingest.SurveyRound;

namespace Watershed.Indicators.Grpc;

public sealed class SurveyGrpcService(IndicatorsDbContext db, SubmissionIngest ingest, SubmissionRemovals removals, TimeProvider clock) : SurveyService.SurveyServiceBase
{
    /// <summary>One stream is one batch held in memory and stored in one transaction, so it is bounded.</summary>
    public const int MaxUploadSubmissions = 100_000;

    /// <summary>How many submissions of a stream are validated and written together: what an upload holds at a time.</summary>
    public const int UploadPartSize = 250;

    /// <summary>The most bytes of submissions one stream carries (each message is also held to gRPC's 4 MB).</summary>
    public const int MaxUploadBytes = 256 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override async Task<CreateSurveyRoundResponse> CreateSurveyRound(CreateSurveyRoundRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = v.Text(request.Name, "name", SurveyRound.MaxNameLength);
        var cutoffs = v.Enum<V1.FcsCutoffs, FcsCutoffs>(request.FcsCutoffs, "fcs_cutoffs");
        var mapping = request.ColumnMapping?.ToDomain();
        if (request.ColumnMapping is { } requested)
        {
            v.OptionalEnum(requested.InterviewDateFormat, "column_mapping.interview_date_format");
        }

        var strategyViolations = new List<FieldViolation>();
        var strategies = LcsStrategies.From([.. request.LcsStrategies.Select(f => f.Trim())], "lcs_strategies", strategyViolations);
        v.Add(strategyViolations);
        v.Add(SurveyRound.ValidateMapping(mapping, strategies).Select(e => e.Under("column_mapping")));
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.AreaAsync(watershedId, ct);
        context.Caller().RequireWriter(watershed.WatershedCode);
        if (await db.SurveyRounds.AnyAsync(r => r.WatershedId == watershed.Id && r.Name == name, ct))
        {
            throw Exists(name);
        }

        var round = SurveyRound.Create(watershed, name, cutoffs!.Value, mapping, strategies, clock.GetUtcNow());
        db.SurveyRounds.Add(round);
        await db.SaveChangesAsync(ct);
        return new CreateSurveyRoundResponse { SurveyRound = round.ToContract() };
    }

    public override async Task<GetSurveyRoundResponse> GetSurveyRound(GetSurveyRoundRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.SurveyRoundId, "survey_round_id");
        v.ThrowIfInvalid();
        var (round, watershed) = await db.RoundAsync(id, context.CancellationToken);
        context.Caller().RequireReader(watershed.WatershedCode);
        return new GetSurveyRoundResponse { SurveyRound = round.ToContract() };
    }

    public override async Task<ListSurveyRoundsResponse> ListSurveyRounds(ListSurveyRoundsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.AreaAsync(watershedId, ct);
        context.Caller().RequireReader(watershed.WatershedCode);
        watershed.AsWatershed("watershed_id");
        var items = await db.SurveyRounds.AsNoTracking().Where(r => r.WatershedId == watershed.Id)
            .OrderBy(r => r.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListSurveyRoundsResponse { Page = page.Next(items) };
        response.SurveyRounds.AddRange(items.Select(r => r.ToContract()));
        return response;
    }

    public override async Task<ImportSubmissionsResponse> ImportSubmissions(ImportSubmissionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var mode = v.OptionalEnum<ImportMode, DomainImportMode>(request.Mode, "mode");
        var text = "";
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

        string? womenText = null;
        if (!request.WomenCsv.IsEmpty)
        {
            try
            {
                womenText = StrictUtf8.GetString(request.WomenCsv.Span);
            }
            catch (DecoderFallbackException)
            {
                v.Add("women_csv", "is not UTF-8 text");
            }
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireWriter(watershed.WatershedCode);
        var table = KoboCsv.Read(new StringReader(text));
        var women = womenText is null ? null : BatchWomen.JoinFile(KoboCsv.Read(new StringReader(womenText)), table, round.Form);
        var outcome = await ingest.IngestAsync(round, table, mode ?? DomainImportMode.AllOrNothing, IngestOrigin.File(context.Caller().Subject), ct, women, request.CheckOnly);
        return new ImportSubmissionsResponse { Result = outcome.ToContract() };
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
        var mode = v.OptionalEnum<ImportMode, DomainImportMode>(header.Mode, "header.mode");
        v.ThrowIfInvalid();
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireWriter(watershed.WatershedCode);

        var outcome = await ingest.IngestStreamAsync(round, PartsAsync(requestStream, ct), mode ?? DomainImportMode.AllOrNothing, IngestOrigin.Stream(context.Caller().Subject), ct);
        return new UploadSubmissionsResponse { Result = outcome.ToContract() };
    }

    /// <summary>
    /// The stream's submissions after the header, in parts of <see cref="UploadPartSize"/>, each kept compact (one copy of
    /// every repeated column name and short answer). A message that is not a submission, or a stream past
    /// <see cref="MaxUploadSubmissions"/> or <see cref="MaxUploadBytes"/>, is INVALID_ARGUMENT: the ingest then stores
    /// nothing.
    /// </summary>
    private static async IAsyncEnumerable<UploadPart> PartsAsync(IAsyncStreamReader<UploadSubmissionsRequest> requestStream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var strings = new SharedStrings();
        var submissions = new List<UploadedSubmission>(UploadPartSize);
        var women = new List<IReadOnlyList<IReadOnlyDictionary<string, string>>>(UploadPartSize);
        var firstRow = 1;
        var count = 0;
        long bytes = 0;
        while (await requestStream.MoveNext(ct))
        {
            var message = requestStream.Current;
            if (message.ItemCase != UploadSubmissionsRequest.ItemOneofCase.Submission)
            {
                throw new InvalidArgumentException($"submissions[{count}]", "must be a submission: only the first message is a header");
            }

            if (count == MaxUploadSubmissions)
            {
                throw new InvalidArgumentException("submissions", $"a stream holds at most {MaxUploadSubmissions} submissions; send more streams");
            }

            bytes += message.CalculateSize();
            if (bytes > MaxUploadBytes)
            {
                throw new InvalidArgumentException("submissions", $"a stream carries at most {MaxUploadBytes / (1024 * 1024)} MB of submissions; send more streams");
            }

            count++;
            var s = message.Submission;
            var answers = new Dictionary<string, string>(s.Answers.Count, StringComparer.Ordinal);
            foreach (var (column, value) in s.Answers)
            {
                answers[strings.Share(column)] = strings.Share(value);
            }

            submissions.Add(new UploadedSubmission(s.Id, strings.Share(s.Area), s.HouseholdId, strings.Share(s.Weight), strings.Share(s.InterviewDate), answers));
            // Kept to one past each bound, which is enough to refuse the household (a woman past 2000 answers, a 51st woman).
            women.Add([.. s.Women.Take(BatchWomen.MaxWomenPerHousehold + 1).Select(w => (IReadOnlyDictionary<string, string>)w.Answers
                .Take(KoboCsv.MaxColumns + 1).ToDictionary(p => strings.Share(p.Key), p => strings.Share(p.Value), StringComparer.Ordinal))]);
            if (submissions.Count == UploadPartSize)
            {
                yield return new UploadPart(submissions, women, firstRow);
                firstRow += submissions.Count;
                submissions = new List<UploadedSubmission>(UploadPartSize);
                women = new List<IReadOnlyList<IReadOnlyDictionary<string, string>>>(UploadPartSize);
            }
        }

        if (submissions.Count > 0)
        {
            yield return new UploadPart(submissions, women, firstRow);
        }
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
        context.Caller().RequireMicrodataReader(watershed.WatershedCode);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var items = await (await SubmissionsAsync(round, areas, areaId, context.Caller(), ct)).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListSubmissionsResponse { Page = page.Next(items) };
        response.Submissions.AddRange(items.Select(s => s.ToContract(areas.CodeOf(s.AreaId))));
        return response;
    }

    public override async Task<GetSubmissionResponse> GetSubmission(GetSubmissionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var submissionId = v.Text(request.SubmissionId, "submission_id", 100);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireMicrodataReader(watershed.WatershedCode);
        var submission = await db.Submissions.AsNoTracking().Include(s => s.Scores)
            .SingleOrDefaultAsync(s => s.SurveyRoundId == round.Id && s.SubmissionId == submissionId, ct)
            ?? throw new NotFoundException("submission", submissionId);
        var area = await db.AreaAsync(submission.AreaId, ct);
        var order = (await db.IndicatorsAsync(watershed.Id, ct)).Select((indicator, i) => (indicator.Code, i)).ToDictionary(p => p.Code, p => p.i);
        var response = new GetSubmissionResponse { Submission = submission.ToContract(area.Code) };
        response.Scores.AddRange(submission.Scores.Where(s => s.Woman == 0)
            .OrderBy(s => order.GetValueOrDefault(s.IndicatorCode, int.MaxValue)).Select(s => s.ToContract()));
        response.WomenScores.AddRange(submission.Scores.Where(s => s.Woman > 0).OrderBy(s => s.Woman).Select(s => s.ToWomanContract()));
        var mddw = submission.Scores.Where(s => s.IndicatorCode == MinimumDietaryDiversityWomen.Info.Code && s.Value is not null).ToList();
        response.WomenAssessed = mddw.Count;
        response.WomenAchieving = mddw.Count(s => s.Category == "achieved");
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
        context.Caller().RequireMicrodataReader(watershed.WatershedCode);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var rows = await (await SubmissionsAsync(round, areas, areaId, context.Caller(), ct)).ToListAsync(ct);
        var writer = new StringWriter();
        var exported = rows.Select(s => s.AsExported(areas.CodeOf(s.AreaId))).ToList();
        KoboCsv.Write(writer, exported, round.Form.Primary);
        var response = new ExportSubmissionsCsvResponse { Csv = Google.Protobuf.ByteString.CopyFromUtf8(writer.ToString()) };
        if (exported.Any(s => s.Women.Count > 0))
        {
            var women = new StringWriter();
            KoboCsv.WriteWomen(women, exported, round.Form.WomenSubmissionIdColumn);
            response.WomenCsv = Google.Protobuf.ByteString.CopyFromUtf8(women.ToString());
        }

        return response;
    }

    public override async Task<ListImportBatchesResponse> ListImportBatches(ListImportBatchesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireMicrodataReader(watershed.WatershedCode);
        var items = await db.ImportBatches.AsNoTracking().Where(b => b.SurveyRoundId == round.Id)
            .OrderBy(b => b.StoredAt).ThenBy(b => b.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var ids = items.Select(b => (Guid?)b.Id).ToList();
        var remaining = await db.Submissions.AsNoTracking().Where(s => ids.Contains(s.ImportBatchId))
            .GroupBy(s => s.ImportBatchId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, ct);
        var response = new ListImportBatchesResponse { Page = page.Next(items) };
        response.ImportBatches.AddRange(items.Select(b => b.ToContract(remaining.GetValueOrDefault(b.Id))));
        return response;
    }

    public override async Task<RemoveSubmissionResponse> RemoveSubmission(RemoveSubmissionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var submissionId = v.Text(request.SubmissionId, "submission_id", SubmissionBatch.MaxIdLength);
        var reason = v.Text(request.Reason, "reason", SubmissionRemoval.MaxReasonLength);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        var caller = context.Caller();
        caller.RequireWriter(watershed.WatershedCode);
        var outcome = await removals.RemoveSubmissionAsync(round, submissionId, caller.Subject, reason, ct);
        var response = new RemoveSubmissionResponse { Removal = outcome.Removal.ToContract() };
        response.Alerts.AddRange(await AlertsAsync(outcome, watershed.WatershedCode, ct));
        return response;
    }

    public override async Task<RemoveImportBatchResponse> RemoveImportBatch(RemoveImportBatchRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var batchId = v.Id(request.ImportBatchId, "import_batch_id");
        var reason = v.Text(request.Reason, "reason", SubmissionRemoval.MaxReasonLength);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        var caller = context.Caller();
        caller.RequireWriter(watershed.WatershedCode);
        var outcome = await removals.RemoveBatchAsync(round, batchId, caller.Subject, reason, ct);
        var response = new RemoveImportBatchResponse { Removal = outcome.Removal.ToContract() };
        response.Alerts.AddRange(await AlertsAsync(outcome, watershed.WatershedCode, ct));
        return response;
    }

    public override async Task<ListRemovalsResponse> ListRemovals(ListRemovalsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var roundId = v.Id(request.SurveyRoundId, "survey_round_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (round, watershed) = await db.RoundAsync(roundId, ct);
        context.Caller().RequireMicrodataReader(watershed.WatershedCode);
        var items = await db.SubmissionRemovals.AsNoTracking().Where(r => r.SurveyRoundId == round.Id)
            .OrderBy(r => r.RemovedAt).ThenBy(r => r.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListRemovalsResponse { Page = page.Next(items) };
        response.Removals.AddRange(items.Select(r => r.ToContract()));
        return response;
    }

    private async Task<IEnumerable<V1.Alert>> AlertsAsync(RemovalOutcome outcome, string watershedCode, CancellationToken ct)
    {
        if (outcome.Alerts.Count == 0)
        {
            return [];
        }

        var areas = await db.AreasOfAsync(watershedCode, ct);
        return outcome.Alerts.Select(a => a.Alert.ToContract(a.Rule, areas.Get(a.Rule.AreaId)));
    }

    /// <summary>The round's submissions in the order they were stored, of one area and the areas inside it when asked.</summary>
    private async Task<IQueryable<Submission>> SubmissionsAsync(SurveyRound round, WatershedAreas areas, Guid? areaId, Caller caller, CancellationToken ct)
    {
        var query = db.Submissions.AsNoTracking().Where(s => s.SurveyRoundId == round.Id);
        if (areaId is { } id)
        {
            if (!areas.Contains(id))
            {
                // Answered as a read of the area alone would be (NOT_FOUND, PERMISSION_DENIED) before saying it lies
                // elsewhere: an id of another watershed tells a caller who may not read it nothing.
                caller.RequireReader((await db.AreaAsync(id, ct)).WatershedCode);
                throw new InvalidArgumentException("area_id", "is not an area of the round's watershed");
            }

            var inside = areas.SelfAndDescendants(id);
            query = query.Where(s => inside.Contains(s.AreaId));
        }

        return query.OrderBy(s => s.StoredAt).ThenBy(s => s.Row).ThenBy(s => s.Id);
    }

    private static AlreadyExistsException Exists(string name) =>
        new("survey_round", name, $"The watershed has a survey round named '{name}' already.");
}
