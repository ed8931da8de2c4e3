using System.Globalization;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Notifications.Domain;

/// <summary>
/// A daily span of local time in which no SMS or e-mail goes out; it may cross midnight (22:00–06:00). A message
/// due inside it is deferred to its end, never dropped.
/// </summary>
public readonly record struct QuietHours(TimeOnly Start, TimeOnly End)
{
    /// <summary>Reads "HH:MM" start and end; violations name <c>quiet_hours.start</c> / <c>quiet_hours.end</c>.</summary>
    public static QuietHours? Parse(string start, string end, List<FieldViolation> violations)
    {
        var s = Time(start, "quiet_hours.start", violations);
        var e = Time(end, "quiet_hours.end", violations);
        if (s is null || e is null)
        {
            return null;
        }

        if (s == e)
        {
            violations.Add(new FieldViolation("quiet_hours.end", "must differ from the start"));
            return null;
        }

        return new QuietHours(s.Value, e.Value);
    }

    private static TimeOnly? Time(string text, string field, List<FieldViolation> violations)
    {
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        violations.Add(new FieldViolation(field, "must be a time of day as HH:MM, e.g. 21:30"));
        return null;
    }

    public bool Contains(TimeOnly time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    /// <summary>When a message due at <paramref name="due"/> may go: the end of the quiet span it falls in, or null when it does not.</summary>
    public DateTimeOffset? DeferUntil(DateTimeOffset due, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(due, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        if (!Contains(time))
        {
            return null;
        }

        // Across midnight, a time before the end belongs to the span that began yesterday and ends today.
        var endDay = Start < End || time < End ? local.Date : local.Date.AddDays(1);
        return Schedule.ToInstant(endDay + End.ToTimeSpan(), zone);
    }

    public override string ToString() => $"{Start:HH\\:mm}–{End:HH\\:mm}";
}

/// <summary>One digest's span: events received in it go out together when it ends.</summary>
/// <param name="Key">The span's local start, "yyyy-MM-ddTHH:mm": the digest's identity for one recipient and channel.</param>
public sealed record DigestWindow(DateTimeOffset Start, DateTimeOffset End, string Key)
{
    /// <summary>
    /// The span containing <paramref name="now"/>: consecutive spans of <paramref name="period"/> anchored at the
    /// local time of day <paramref name="at"/> (with a day's period and 08:00, one digest from 08:00 to 08:00).
    /// </summary>
    public static DigestWindow Containing(DateTimeOffset now, TimeOnly at, TimeSpan period, TimeZoneInfo zone)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A digest period is positive.");
        }

        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var anchor = new DateTime(2000, 1, 1, at.Hour, at.Minute, 0, DateTimeKind.Unspecified);
        var spans = (local - anchor).Ticks / period.Ticks;
        var start = anchor + TimeSpan.FromTicks(period.Ticks * spans);
        if (start > local)
        {
            start -= period;
        }
        else if (start + period <= local)
        {
            start += period;
        }

        return new DigestWindow(Schedule.ToInstant(start, zone), Schedule.ToInstant(start + period, zone),
            start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
    }

    /// <summary>The span after this one.</summary>
    public DigestWindow Next(TimeOnly at, TimeSpan period, TimeZoneInfo zone) => Containing(End, at, period, zone);

    public static string DigestEventId(EventKind kind, DigestWindow window) =>
        $"digest:{kind.ToString().ToLowerInvariant()}:{window.Key}";
}

/// <summary>Failed sends are tried again after 1, 2, 4, … times the base delay (capped), up to a number of attempts.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>When to try again after <paramref name="attempts"/> failed attempts; null when they are used up.</summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset now)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * factor));
        return now + delay;
    }
}

public static class Schedule
{
    /// <summary>A local wall-clock time as an instant (Peru keeps no daylight saving; other zones resolve as .NET does).</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
