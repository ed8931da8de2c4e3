using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain;

/// <summary>
/// Outcome of scoring one household on one indicator. Exactly one of three states:
/// rejected (an answer is out of range or unreadable: <see cref="Errors"/>, each naming its canonical field such
/// as "fcs.meat_fish_eggs"), missing (an answer needed by the score was not given: <see cref="MissingFields"/>),
/// or scored (<see cref="Value"/>).
/// Missing is never turned into zero and out-of-range answers are never clamped.
/// </summary>
public sealed record ScoreResult<T> where T : class
{
    private ScoreResult(T? value, IReadOnlyList<FieldViolation> errors, IReadOnlyList<string> missingFields)
    {
        Value = value;
        Errors = errors;
        MissingFields = missingFields;
    }

    public T? Value { get; }

    public IReadOnlyList<FieldViolation> Errors { get; }

    public IReadOnlyList<string> MissingFields { get; }

    public bool IsRejected => Errors.Count > 0;

    public bool IsMissing => !IsRejected && Value is null;

    public static ScoreResult<T> Scored(T value) => new(value, [], []);

    public static ScoreResult<T> Missing(IReadOnlyList<string> missingFields) => new(null, [], missingFields);

    public static ScoreResult<T> Rejected(IReadOnlyList<FieldViolation> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A rejection needs at least one error.", nameof(errors)) : new(null, errors, []);

    /// <summary>Rejected when there are errors, missing when fields are missing, else scored by <paramref name="score"/>.</summary>
    internal static ScoreResult<T> From(List<FieldViolation> errors, List<string> missing, Func<T> score) =>
        errors.Count > 0 ? Rejected(errors) : missing.Count > 0 ? Missing(missing) : Scored(score());
}
