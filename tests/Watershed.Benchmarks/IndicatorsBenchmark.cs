using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Npgsql;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Benchmarks;

/// <summary>
/// Survey ingest and aggregation at scale, each path beside its baseline measured in the same run on the same database:
/// <list type="bullet">
/// <item>ImportSubmissions (Kobo-style CSV files of the demo's rows with new ids, at most 10,000 households a file) and
/// UploadSubmissions (one client stream of up to 100,000, the contract's limit) against a raw binary COPY of the very rows
/// the import stored (submissions and their scores, into tables with the same columns and indexes, in one transaction);</item>
/// <item>the same files imported again (every household a duplicate);</item>
/// <item>GetAggregate (FCS, district, quarter: every stored household of the size) against the same figure (count, Σw,
/// Σwx per category) computed by one raw SQL statement over the stored scores;</item>
/// <item>the indicators process's peak RSS (VmHWM, reset before the upload) during the uploads.</item>
/// </list>
/// Each size gets its own watershed, so the district's quarter holds exactly that many households.
/// </summary>
internal static class IndicatorsBenchmark
{
    private const int FileHouseholds = 10_000;
    private const int StreamHouseholds = 100_000;
    private const string Copy = "raw binary COPY of the same rows";
    private const string Sql = "raw SQL of the same figure";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The entry the benchmark program calls with one size (households per import).</summary>
    public static Task RunAsync(int households) => RunAsync([households], quick: false);

    /// <summary>
    /// Measures each size in <paramref name="sizes"/> (stored households), prints the figures as it goes and a table at
    /// the end, and returns the rows. <paramref name="quick"/> measures 1,000 households with fewer reads (a smoke run).
    /// </summary>
    public static async Task<IReadOnlyList<BenchmarkRow>> RunAsync(int[] sizes, bool quick)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (quick)
        {
            sizes = [1000];
        }

        var reads = quick ? 20 : 50;
        Console.WriteLine($"Watershed indicators benchmark — {Environment.ProcessorCount} cores, sizes {string.Join(", ", sizes)} households, load {Load()}");
        var postgres = await PostgresServer.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("bench_indicators");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var template = Template.Read();
        var rows = new List<BenchmarkRow>();
        foreach (var size in sizes)
        {
            // A fresh process per size, so each size's memory is its own (not what the size before it left).
            await using var service = await ServiceProcess.StartAsync("Indicators", new Dictionary<string, string>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = connectionString,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Auth:Issuer"] = TestTokens.Issuer,
                ["Auth:SigningKey"] = TestTokens.SigningKey,
                // One admin token makes every import: the per-caller limit would measure the limiter, not the service.
                ["RateLimits:imports:PermitLimit"] = "1000000000",
            });
            // Profile, don't guess: `dotnet-trace collect -p PID` attaches to this process while it runs.
            Console.WriteLine($"indicators process {service.ProcessId}");
            using var channel = GrpcChannel.ForAddress(service.Address, new GrpcChannelOptions { MaxSendMessageSize = 64 << 20, MaxReceiveMessageSize = 64 << 20 });
            var invoker = channel.Intercept(m => { m.Add("Authorization", "Bearer " + TestTokens.Admin()); return m; });
            var clients = new Clients(new AreaService.AreaServiceClient(invoker), new SurveyService.SurveyServiceClient(invoker), new AggregateService.AggregateServiceClient(invoker));
            rows.AddRange(await MeasureAsync(size, reads, clients, dataSource, service.ProcessId, template));
        }

        Console.WriteLine();
        Console.WriteLine($"{"path",-52} {"size",-18} {"value",12} {"unit",-14} {"baseline",12} {"ratio",8}  target");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(Culture,
                $"{row.Path,-52} {row.Size,-18} {row.Value,12:F1} {row.Unit,-14} {(row.BaselineValue == 0 ? "" : row.BaselineValue.ToString("F1", Culture)),12} {(double.IsNaN(row.Ratio) ? "" : row.Ratio.ToString("P0", Culture)),8}  {row.Target}"));
        }

        return rows;
    }

    private sealed record Clients(AreaService.AreaServiceClient Areas, SurveyService.SurveyServiceClient Surveys, AggregateService.AggregateServiceClient Aggregates);

    private static async Task<List<BenchmarkRow>> MeasureAsync(int size, int reads, Clients c, NpgsqlDataSource dataSource, int processId, Template template)
    {
        var label = size >= 1000 && size % 1000 == 0 ? $"{size / 1000}k households" : $"{size} households";
        var rows = new List<BenchmarkRow>();
        var watershed = (await c.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = $"bench-{size}", Name = $"Bench {size}" })).Area;
        var district = (await c.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = watershed.Id, Code = "district", Name = "District" })).Area;
        var community = (await c.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = district.Id, Code = "manzanares", Name = "Manzanares" })).Area;
        var imported = (await c.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = watershed.Id, Name = "Import", FcsCutoffs = FcsCutoffs.Standard2135 })).SurveyRound;
        var uploaded = (await c.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = watershed.Id, Name = "Upload", FcsCutoffs = FcsCutoffs.Standard2135 })).SurveyRound;

        // UploadSubmissions: streams of at most StreamHouseholds, interviews in 2026Q3 (outside the aggregated quarter).
        // First, in a process that has done nothing else yet: what an upload itself holds.
        await ResetPeakAsync(processId);
        Print("indicators RSS when the upload starts", label, await StatusMegabytesAsync(processId, "VmRSS:"), "MB", Load());
        var load = Load();
        var clock = Stopwatch.StartNew();
        var stored = 0;
        for (var first = 0; first < size; first += StreamHouseholds)
        {
            using var call = c.Surveys.UploadSubmissions();
            await call.RequestStream.WriteAsync(new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = uploaded.Id } });
            for (var i = first; i < Math.Min(size, first + StreamHouseholds); i++)
            {
                await call.RequestStream.WriteAsync(new UploadSubmissionsRequest { Submission = template.Upload(size + i, "2026-08-03") });
            }

            await call.RequestStream.CompleteAsync();
            stored += (await call.ResponseAsync).Result.StoredRows;
        }

        var uploadRate = size / clock.Elapsed.TotalSeconds;
        var peak = await PeakMegabytesAsync(processId);
        Require(stored == size, $"UploadSubmissions stored {stored} of {size}");
        Print("UploadSubmissions, new households", label, uploadRate, "households/s", load);
        Print("indicators peak RSS during the uploads", label, peak, "MB", load);

        // ImportSubmissions: files of at most FileHouseholds, interviews in 2025Q4.
        var files = Enumerable.Range(0, (size + FileHouseholds - 1) / FileHouseholds)
            .Select(f => ByteString.CopyFromUtf8(template.Csv(f * FileHouseholds, Math.Min(FileHouseholds, size - (f * FileHouseholds))))).ToList();
        load = Load();
        clock.Restart();
        stored = 0;
        foreach (var file in files)
        {
            stored += (await c.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = imported.Id, Csv = file })).Result.StoredRows;
        }

        var importRate = size / clock.Elapsed.TotalSeconds;
        Require(stored == size, $"ImportSubmissions stored {stored} of {size}");
        Print("ImportSubmissions, new households", label, importRate, "households/s", load);

        clock.Restart();
        var duplicates = 0;
        foreach (var file in files)
        {
            duplicates += (await c.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = imported.Id, Csv = file })).Result.DuplicateRows;
        }

        var replayRate = size / clock.Elapsed.TotalSeconds;
        Require(duplicates == size, $"the second import found {duplicates} duplicates of {size}");
        Print("ImportSubmissions, same files again (all duplicates)", label, replayRate, "households/s", Load());
        files.Clear();

        // Baseline: the import round's stored rows, copied out, then copied in again by raw binary COPY (timed).
        var copyRate = await RawCopyRateAsync(dataSource, size, Guid.Parse(imported.Id), foreignKeys: false);
        Print("raw binary COPY of the import's rows (submissions + scores)", label, copyRate, "households/s", Load());
        // The same COPY into tables that also carry the service's foreign keys: what the checks cost the database alone.
        var checkedCopyRate = await RawCopyRateAsync(dataSource, size, Guid.Parse(imported.Id), foreignKeys: true);
        Print("raw binary COPY, with the service's foreign keys", label, checkedCopyRate, "households/s", Load());
        rows.Add(new BenchmarkRow("ImportSubmissions (new households)", label, importRate, "households/s", Copy, copyRate, "≥ 50 %"));
        rows.Add(new BenchmarkRow("UploadSubmissions (new households)", label, uploadRate, "households/s", Copy, copyRate, "≥ 50 %"));
        rows.Add(new BenchmarkRow("ImportSubmissions (all duplicates)", label, replayRate, "households/s", Copy, copyRate));
        rows.Add(new BenchmarkRow("raw binary COPY with the foreign keys", label, checkedCopyRate, "households/s", Copy, copyRate));
        rows.Add(new BenchmarkRow("indicators peak RSS (UploadSubmissions)", label, peak, "MB peak RSS", "", 0, "< 300 MB"));

        // GetAggregate against the same figure in SQL, each warmed up first.
        load = Load();
        var request = new GetAggregateRequest { IndicatorCode = "FCS", AreaId = district.Id, Period = "2025Q4" };
        var api = await LatenciesAsync(reads, async () =>
        {
            var n = (await c.Aggregates.GetAggregateAsync(request)).Aggregate.N;
            Require(n == size, $"GetAggregate counted {n} households of {size}");
        });
        Print("GetAggregate FCS, district, quarter", label, api.P50, "ms p50", load);
        var areaIds = new[] { Guid.Parse(district.Id), Guid.Parse(community.Id) };
        load = Load();
        var sql = await LatenciesAsync(reads, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                SELECT "Category", "Value" IS NULL, count(*), sum(coalesce("Weight", 1)), sum(coalesce("Weight", 1) * "Value")
                FROM household_scores
                WHERE "IndicatorCode" = 'FCS' AND "AreaId" = ANY($1) AND "InterviewDate" BETWEEN '2025-10-01' AND '2025-12-31'
                GROUP BY 1, 2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = areaIds });
            await using var reader = await command.ExecuteReaderAsync();
            long n = 0;
            while (await reader.ReadAsync())
            {
                n += reader.GetInt64(2);
            }

            Require(n == size, $"the raw SQL counted {n} households of {size}");
        });
        Print("raw SQL: the same figure over the stored scores", label, sql.P50, "ms p50", load);
        rows.Add(new BenchmarkRow("GetAggregate (FCS, district, quarter)", label, api.P50, "ms p50", Sql, sql.P50, "≤ 2×"));
        rows.Add(new BenchmarkRow("GetAggregate (FCS, district, quarter)", label, api.P99, "ms p99", Sql, sql.P99));
        return rows;
    }

    private static async Task<double> RawCopyRateAsync(NpgsqlDataSource dataSource, int size, Guid roundId, bool foreignKeys)
    {
        var suffix = size.ToString(Culture) + (foreignKeys ? "_fk" : "");
        await using var connection = await dataSource.OpenConnectionAsync();
        var keys = !foreignKeys ? "" : $"""
            ALTER TABLE raw_submissions_{suffix} ADD FOREIGN KEY ("SurveyRoundId") REFERENCES survey_rounds ("Id"),
                ADD FOREIGN KEY ("AreaId") REFERENCES areas ("Id"), ADD FOREIGN KEY ("ImportBatchId") REFERENCES import_batches ("Id");
            ALTER TABLE raw_scores_{suffix} ADD FOREIGN KEY ("SubmissionRowId") REFERENCES raw_submissions_{suffix} ("Id") ON DELETE CASCADE,
                ADD FOREIGN KEY ("SurveyRoundId") REFERENCES survey_rounds ("Id"), ADD FOREIGN KEY ("AreaId") REFERENCES areas ("Id");
            """;
        await using (var create = new NpgsqlCommand($"""
            CREATE TABLE raw_submissions_{suffix} (LIKE submissions INCLUDING DEFAULTS INCLUDING INDEXES);
            CREATE TABLE raw_scores_{suffix} (LIKE household_scores INCLUDING DEFAULTS INCLUDING INDEXES);
            {keys}
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var submissions = new MemoryStream();
        var scores = new MemoryStream();
        await using (var read = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM submissions WHERE \"SurveyRoundId\" = '{roundId}') TO STDOUT (FORMAT BINARY)"))
        {
            await read.CopyToAsync(submissions);
        }

        await using (var read = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM household_scores WHERE \"SurveyRoundId\" = '{roundId}') TO STDOUT (FORMAT BINARY)"))
        {
            await read.CopyToAsync(scores);
        }

        var clock = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (table, data) in new[] { ($"raw_submissions_{suffix}", submissions), ($"raw_scores_{suffix}", scores) })
            {
                data.Position = 0;
                await using var write = await connection.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
                await data.CopyToAsync(write);
            }

            await transaction.CommitAsync();
        }

        return size / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99)> LatenciesAsync(int reads, Func<Task> read)
    {
        for (var i = 0; i < 5; i++)
        {
            await read();
        }

        var latencies = new List<double>();
        for (var i = 0; i < reads; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await read();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        latencies.Sort();
        return (latencies[latencies.Count / 2], latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1]);
    }

    /// <summary>Resets the process's peak RSS (VmHWM) to its current RSS: writing 5 to clear_refs does that.</summary>
    private static Task ResetPeakAsync(int processId) => File.WriteAllTextAsync($"/proc/{processId}/clear_refs", "5");

    private static Task<double> PeakMegabytesAsync(int processId) => StatusMegabytesAsync(processId, "VmHWM:");

    private static async Task<double> StatusMegabytesAsync(int processId, string field)
    {
        var line = (await File.ReadAllLinesAsync($"/proc/{processId}/status")).First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line[field.Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), Culture) / 1024;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static void Print(string path, string size, double value, string unit, string load) =>
        Console.WriteLine(string.Create(Culture, $"{path,-60} {size,-18} {value,10:F1} {unit,-14} (load {load})"));

    private static void Require(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    /// <summary>The demo's baseline households of Manzanares, repeated with fresh submission and household ids.</summary>
    private sealed class Template
    {
        private readonly string _header;
        private readonly List<string> _columns;
        private readonly List<string[]> _rows;

        private Template(string header, List<string> columns, List<string[]> rows) => (_header, _columns, _rows) = (header, columns, rows);

        public static Template Read()
        {
            var lines = File.ReadAllLines(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Indicators", "Demo", "2025Q4-manzanares.csv"))
                .Where(l => l.Length > 0).ToList();
            return new Template(lines[0], [.. lines[0].Split(';').Select(c => c.Trim('"'))], [.. lines.Skip(1).Select(l => l.Split(';'))]);
        }

        /// <summary>Households <paramref name="first"/> to first + count − 1 as a Kobo export.</summary>
        public string Csv(int first, int count)
        {
            var (idColumn, uuidColumn, householdColumn) = (_columns.IndexOf("_id"), _columns.IndexOf("_uuid"), _columns.IndexOf("household_id"));
            var text = new StringBuilder(_header).Append('\n');
            for (var i = first; i < first + count; i++)
            {
                var cells = (string[])_rows[i % _rows.Count].Clone();
                cells[idColumn] = $"\"{i + 1}\"";
                cells[uuidColumn] = $"\"{Guid.NewGuid()}\"";
                cells[householdColumn] = $"\"HH-{i:D6}\"";
                text.AppendJoin(';', cells).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>Household <paramref name="index"/> as one streamed submission: the export's answer columns, its date replaced.</summary>
        public SubmissionUpload Upload(int index, string interviewDate)
        {
            var cells = _rows[index % _rows.Count];
            var upload = new SubmissionUpload { Id = Guid.NewGuid().ToString(), Area = "manzanares", HouseholdId = $"HH-{index:D6}", InterviewDate = interviewDate };
            for (var c = _columns.IndexOf("interview_date") + 1; c < _columns.Count; c++)
            {
                upload.Answers[_columns[c]] = cells[c].Trim('"');
            }

            return upload;
        }
    }
}
