namespace Watershed.Benchmarks;

/// <summary>
/// One measured path beside its baseline, both measured in the same run with the same client settings (a bare echo for
/// RPC paths, raw COPY or raw SQL for database paths). <see cref="Ratio"/> is the path's figure over the baseline's:
/// for rates higher is better, for latencies lower is better (<see cref="Unit"/> says which).
/// </summary>
/// <param name="Path">What was measured, e.g. "CastVote" or "GetAggregate (district, quarter)".</param>
/// <param name="Size">The size it was measured at, e.g. "10k voters" or "100k households"; empty when none applies.</param>
/// <param name="Value">The path's figure.</param>
/// <param name="Unit">"req/s", "rows/s", "ms p50", "ms p99", "MB peak RSS"...</param>
/// <param name="Baseline">What the baseline is, e.g. "bare gRPC echo" or "raw binary COPY".</param>
/// <param name="BaselineValue">The baseline's figure in the same unit; 0 when the path has none.</param>
/// <param name="Target">The target for the ratio, e.g. "≥ 20 %" or "≤ 2×"; empty when none.</param>
public sealed record BenchmarkRow(string Path, string Size, double Value, string Unit, string Baseline, double BaselineValue, string Target = "")
{
    public double Ratio => BaselineValue == 0 ? double.NaN : Value / BaselineValue;
}
