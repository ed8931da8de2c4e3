using System.Globalization;
using System.Text.Json;
using Watershed.Benchmarks;

// Watershed's benchmark: each hot path beside its baseline measured in the same run, printed as one table and written
// as JSON. Run on demand (scripts/bench.sh); it asserts nothing about speed.
//
//   all [quick] [--json FILE]     consultation, indicators and events (quick: small sizes, for a smoke run)
//   consultation [quick]          votes and reads at ballot sizes 1k / 10k / 100k
//   indicators [quick] [N ...]    survey ingest and aggregates (N: stored households; default 1k, 10k, 100k)
//   events [count]                event to delivery, one event at a time
return await BenchmarkProgram.RunAsync(args);

namespace Watershed.Benchmarks
{
    public static class BenchmarkProgram
    {
        public static async Task<int> RunAsync(string[] args)
        {
            var quick = args.Contains("quick");
            var jsonAt = Array.IndexOf(args, "--json");
            var jsonPath = jsonAt >= 0 && jsonAt + 1 < args.Length ? args[jsonAt + 1] : "bench-results.json";
            var what = args.FirstOrDefault(a => a is "all" or "consultation" or "indicators" or "events") ?? "all";
            var culture = CultureInfo.InvariantCulture;

            // Commits wait for the disk, as in production, unless the caller chose otherwise before starting.
            if (Environment.GetEnvironmentVariable("WATERSHED_PG_DURABLE") is null)
            {
                Environment.SetEnvironmentVariable("WATERSHED_PG_DURABLE", "1");
            }

            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
            Console.WriteLine($"Watershed benchmark — {Environment.ProcessorCount} cores, load average {load} at start, PostgreSQL durable: {Environment.GetEnvironmentVariable("WATERSHED_PG_DURABLE") == "1"}{(quick ? ", quick" : "")}");
            var rows = new List<BenchmarkRow>();
            var cpu = new List<CpuSplit>();
            var started = DateTimeOffset.UtcNow;

            if (what is "all" or "consultation")
            {
                var (consultationRows, consultationCpu, _) = await ConsultationBenchmark.RunAsync(
                    quick ? [1_000] : [1_000, 10_000, 100_000], votes: quick ? 400 : 2_000, concurrency: 16);
                rows.AddRange(consultationRows);
                cpu.AddRange(consultationCpu);
            }

            var sizes = args.Select(a => int.TryParse(a, NumberStyles.None, culture, out var n) ? n : 0).Where(n => n > 0).ToArray();
            if (what is "all" or "indicators")
            {
                rows.AddRange(what == "indicators" && sizes.Length > 0 ? await IndicatorsBenchmark.RunAsync(sizes, quick) : await IndicatorsRowsAsync(quick));
            }

            if (what is "all" or "events")
            {
                var count = args.Select(a => int.TryParse(a, NumberStyles.None, culture, out var n) ? n : 0).FirstOrDefault(n => n > 0);
                rows.AddRange(await EventsBenchmark.RunAsync(count > 0 ? count : quick ? 30 : 200));
            }

            Console.WriteLine();
            Console.WriteLine(Table(rows));
            if (cpu.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("CPU per call (ms): where each path's time goes");
                Console.WriteLine($"{"path",-36} {"service",9} {"PostgreSQL",11} {"client",8}");
                foreach (var c in cpu)
                {
                    Console.WriteLine(string.Create(culture, $"{c.Path,-36} {c.ServiceMs,9:F3} {c.PostgresMs,11:F3} {c.ClientMs,8:F3}"));
                }
            }

            var report = new
            {
                started,
                cores = Environment.ProcessorCount,
                loadAverageAtStart = load,
                durable = Environment.GetEnvironmentVariable("WATERSHED_PG_DURABLE") == "1",
                quick,
                rows = rows.Select(r => new { r.Path, r.Size, r.Value, r.Unit, r.Baseline, r.BaselineValue, Ratio = double.IsNaN(r.Ratio) ? (double?)null : r.Ratio, r.Target, Met = Met(r) }),
                cpuPerCallMs = cpu,
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            Console.WriteLine($"\nwritten: {Path.GetFullPath(jsonPath)}");
            return 0;
        }

        /// <summary>The indicators part, as rows; it prints its own detail as it goes.</summary>
        private static Task<IReadOnlyList<BenchmarkRow>> IndicatorsRowsAsync(bool quick) =>
            IndicatorsBenchmark.RunAsync(quick ? [1_000] : [1_000, 10_000, 100_000], quick);

        /// <summary>Whether a row meets its target: "≥ N %" of the baseline, "≤ N×" the baseline, or "&lt; N ms" absolute.</summary>
        public static bool? Met(BenchmarkRow row)
        {
            var target = row.Target.Trim();
            if (target.Length == 0)
            {
                return null;
            }

            var number = double.Parse(new string([.. target.Where(c => char.IsDigit(c) || c == '.')]), CultureInfo.InvariantCulture);
            return target switch
            {
                _ when target.EndsWith('%') => row.Ratio * 100 >= number,
                _ when target.EndsWith('×') => row.Ratio <= number,
                _ when target.StartsWith('<') => row.Value < number,
                _ => null,
            };
        }

        public static string Table(IReadOnlyList<BenchmarkRow> rows)
        {
            var culture = CultureInfo.InvariantCulture;
            var lines = new List<string>
            {
                $"{"path",-42} {"size",-14} {"value",10} {"unit",-8} {"baseline",-24} {"baseline value",14} {"ratio",8} {"target",-8} met",
            };
            foreach (var r in rows)
            {
                var ratio = double.IsNaN(r.Ratio) ? "" : r.Unit.StartsWith("ms", StringComparison.Ordinal) ? $"{r.Ratio:F2}×" : $"{r.Ratio * 100:F1} %";
                var met = Met(r) switch { true => "yes", false => "NO", null => "" };
                lines.Add(string.Create(culture,
                    $"{r.Path,-42} {r.Size,-14} {Measure.Format(r.Value),10} {r.Unit,-8} {r.Baseline,-24} {(r.BaselineValue == 0 ? "" : Measure.Format(r.BaselineValue)),14} {ratio,8} {r.Target,-8} {met}"));
            }

            return string.Join('\n', lines);
        }
    }
}
