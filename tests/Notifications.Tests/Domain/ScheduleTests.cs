using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Notifications.Tests.Domain;

/// <summary>Quiet hours (also across midnight), digest spans and retry backoff, in Lima time (UTC−5, no daylight saving).</summary>
public sealed class ScheduleTests
{
    private static readonly TimeZoneInfo Lima = TimeZoneInfo.FindSystemTimeZoneById("America/Lima");

    private static DateTimeOffset LimaTime(int day, int hour, int minute) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(-5));

    [Theory]
    [InlineData(4, 22, 30, 5)]
    [InlineData(4, 21, 0, 5)]
    [InlineData(5, 0, 0, 5)]
    [InlineData(5, 5, 59, 5)]
    public void Quiet_hours_across_midnight_defer_to_their_end_the_next_morning(int day, int hour, int minute, int endDay)
    {
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(6, 0));
        Assert.Equal(LimaTime(endDay, 6, 0), quiet.DeferUntil(LimaTime(day, hour, minute), Lima));
    }

    [Theory]
    [InlineData(6, 0)]
    [InlineData(12, 0)]
    [InlineData(20, 59)]
    public void Outside_quiet_hours_nothing_waits(int hour, int minute) =>
        Assert.Null(new QuietHours(new TimeOnly(21, 0), new TimeOnly(6, 0)).DeferUntil(LimaTime(4, hour, minute), Lima));

    [Fact]
    public void Quiet_hours_within_a_day_end_the_same_day()
    {
        var siesta = new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0));
        Assert.Equal(LimaTime(4, 14, 0), siesta.DeferUntil(LimaTime(4, 13, 15), Lima));
        Assert.Null(siesta.DeferUntil(LimaTime(4, 14, 0), Lima));
        Assert.Null(siesta.DeferUntil(LimaTime(4, 11, 59), Lima));
    }

    [Fact]
    public void Quiet_hours_are_read_as_HH_MM_and_must_not_be_empty()
    {
        var faults = new List<FieldViolation>();
        Assert.Equal(new QuietHours(new TimeOnly(22, 0), new TimeOnly(6, 30)), QuietHours.Parse("22:00", "06:30", faults));
        Assert.Null(QuietHours.Parse("22:00", "22:00", faults));
        Assert.Null(QuietHours.Parse("24:00", "6", faults));
        Assert.Equal(["quiet_hours.end", "quiet_hours.start", "quiet_hours.end"], faults.Select(f => f.Field));
    }

    [Fact]
    public void A_day_long_digest_runs_from_08_00_to_08_00_local_time()
    {
        var evening = DigestWindow.Containing(LimaTime(4, 22, 30), new TimeOnly(8, 0), TimeSpan.FromDays(1), Lima);
        Assert.Equal((LimaTime(4, 8, 0), LimaTime(5, 8, 0), "2026-12-04T08:00"), (evening.Start, evening.End, evening.Key));
        var dawn = DigestWindow.Containing(LimaTime(5, 7, 59), new TimeOnly(8, 0), TimeSpan.FromDays(1), Lima);
        Assert.Equal("2026-12-04T08:00", dawn.Key);
        var morning = DigestWindow.Containing(LimaTime(5, 8, 0), new TimeOnly(8, 0), TimeSpan.FromDays(1), Lima);
        Assert.Equal((LimaTime(5, 8, 0), "2026-12-05T08:00"), (morning.Start, morning.Key));
        Assert.Equal(morning, evening.Next(new TimeOnly(8, 0), TimeSpan.FromDays(1), Lima));
    }

    [Fact]
    public void A_six_hour_digest_keeps_its_spans_across_days()
    {
        var window = DigestWindow.Containing(LimaTime(5, 3, 30), new TimeOnly(8, 0), TimeSpan.FromHours(6), Lima);
        Assert.Equal((LimaTime(5, 2, 0), LimaTime(5, 8, 0)), (window.Start, window.End));
    }

    [Fact]
    public void Retries_back_off_exponentially_and_stop_at_the_limit()
    {
        var policy = new RetryPolicy(6, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var now = LimaTime(4, 12, 0);
        Assert.Equal([1, 2, 4, 8, 16], Enumerable.Range(1, 5).Select(a => (policy.NextAttempt(a, now)!.Value - now).TotalMinutes));
        Assert.Null(policy.NextAttempt(6, now));
        var capped = new RetryPolicy(10, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(a => (capped.NextAttempt(a, now)!.Value - now).TotalMinutes));
    }
}
