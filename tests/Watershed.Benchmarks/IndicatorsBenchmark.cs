using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Npgsql;
using NpgsqlTypes;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Benchmarks;

/// <summary>
/// Survey ingest and aggregation at scale: a Kobo-style CSV of many households (the demo's rows with new ids)
/// imported through the API, imported again (all duplicates), and aggregated; against raw PostgreSQL
/// copying the same number of score rows and averaging them.
/// </summary>
internal static class IndicatorsBenchmark
{
    public static async Task RunAsync(int households)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Watershed indicators benchmark — {Environment.ProcessorCount} cores, {households} households per file");
        var postgres = await PostgresServer.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("bench_indicators");
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
        using var channel = GrpcChannel.ForAddress(service.Address, new GrpcChannelOptions { MaxSendMessageSize = 64 << 20, MaxReceiveMessageSize = 64 << 20 });
        var invoker = channel.Intercept(m => { m.Add("Authorization", "Bearer " + TestTokens.Admin()); return m; });
        var areas = new AreaService.AreaServiceClient(invoker);
        var surveys = new SurveyService.SurveyServiceClient(invoker);
        var aggregates = new AggregateService.AggregateServiceClient(invoker);

        var watershed = (await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "bench", Name = "Bench" })).Area;
        var district = (await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = watershed.Id, Code = "district", Name = "District" })).Area;
        await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = district.Id, Code = "manzanares", Name = "Manzanares" });
        var round = (await surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = watershed.Id, Name = "Bench", FcsCutoffs = FcsCutoffs.Standard2135 })).SurveyRound;

        var csv = ByteString.CopyFromUtf8(Replicate(households));
        Console.WriteLine($"file: {csv.Length / 1024} KiB");

        var clock = Stopwatch.StartNew();
        var first = (await surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = csv })).Result;
        var importSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(culture, $"{"ImportSubmissions, new households (score, store, alerts)",-58} {households / importSeconds,9:F0} households/s  ({importSeconds:F2} s, {first.StoredRows} stored)"));

        clock.Restart();
        var again = (await surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = csv })).Result;
        var replaySeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(culture, $"{"ImportSubmissions, same file again (all duplicates)",-58} {households / replaySeconds,9:F0} households/s  ({replaySeconds:F2} s, {again.DuplicateRows} duplicates)"));

        var latencies = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var figure = (await aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = district.Id, Period = "2025Q4" })).Aggregate;
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (figure.N == 0)
            {
                throw new InvalidOperationException("The benchmark's households were not aggregated.");
            }
        }

        latencies.Sort();
        Console.WriteLine(string.Create(culture, $"{"GetAggregate FCS, district, quarter (from stored scores)",-58} p50 {latencies[25],8:F2} ms   p99 {latencies[49],8:F2} ms"));

        // Raw PostgreSQL: binary COPY of the same number of score rows, and the same mean in SQL.
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE raw_scores (submission uuid, indicator text, area uuid, interviewed date, weight double precision, value numeric, category text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        clock.Restart();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync("COPY raw_scores FROM STDIN (FORMAT BINARY)"))
        {
            var area = Guid.NewGuid();
            for (var i = 0; i < households * 8; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(i % 8 == 0 ? "FCS" : "OTHER", NpgsqlDbType.Text);
                await copy.WriteAsync(area, NpgsqlDbType.Uuid);
                await copy.WriteAsync(new DateOnly(2025, 11, 3), NpgsqlDbType.Date);
                await copy.WriteAsync(1.0, NpgsqlDbType.Double);
                await copy.WriteAsync((decimal)(i % 112), NpgsqlDbType.Numeric);
                await copy.WriteAsync("acceptable", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        var copySeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(culture, $"{"raw PostgreSQL binary COPY of 8 score rows per household",-58} {households / copySeconds,9:F0} households/s  ({copySeconds:F2} s)"));
        latencies.Clear();
        for (var i = 0; i < 50; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using var mean = dataSource.CreateCommand("SELECT count(*), avg(value) FROM raw_scores WHERE indicator = 'FCS' AND interviewed BETWEEN '2025-10-01' AND '2025-12-31'");
            await using var reader = await mean.ExecuteReaderAsync();
            await reader.ReadAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine(string.Create(culture, $"{"raw PostgreSQL count and mean over the same rows",-58} p50 {latencies[25],8:F2} ms   p99 {latencies[49],8:F2} ms"));
        var status = await File.ReadAllLinesAsync($"/proc/{service.ProcessId}/status");
        Console.WriteLine($"indicators process: {status.First(l => l.StartsWith("VmRSS", StringComparison.Ordinal))}, peak {status.First(l => l.StartsWith("VmHWM", StringComparison.Ordinal))}");
    }

    /// <summary>The demo's baseline households of Manzanares repeated with fresh submission and household ids.</summary>
    private static string Replicate(int households)
    {
        var lines = File.ReadAllLines(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Indicators", "Demo", "2025Q4-manzanares.csv"));
        var header = lines[0];
        var columns = header.Split(';').Select(c => c.Trim('"')).ToList();
        var (idColumn, uuidColumn, householdColumn) = (columns.IndexOf("_id"), columns.IndexOf("_uuid"), columns.IndexOf("household_id"));
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < households; i++)
        {
            var cells = lines[1 + (i % (lines.Length - 1))].Split(';');
            cells[idColumn] = $"\"{i + 1}\"";
            cells[uuidColumn] = $"\"{Guid.NewGuid()}\"";
            cells[householdColumn] = $"\"HH-{i:D6}\"";
            text.AppendJoin(';', cells).Append('\n');
        }

        return text.ToString();
    }
}
