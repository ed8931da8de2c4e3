namespace Watershed.ServiceDefaults;

/// <summary>
/// The system clock truncated to whole microseconds, the precision PostgreSQL keeps, so an instant a
/// service returns right after writing it equals the one it returns when read back later.
/// </summary>
public sealed class DatabaseTimeProvider : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = System.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
