namespace Watershed.Indicators.Domain;

/// <summary>A rejected answer: the canonical field (e.g. "fcs.meat_fish_eggs") and why.</summary>
public sealed record FieldError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>
/// Outcome of scoring one household on one indicator. Exactly one of three states:
/// rejected (an answer is out of range or unreadable: <see cref="Errors"/>), missing (an answer
/// needed by the score was not given: <see cref="MissingFields"/>), or scored (<see cref="Value"/>).
/// Missing is never turned into zero and out-of-range answers are never clamped.
/// </summary>
public sealed record ScoreResult<T> where T : class
{
    private ScoreResult(T? value, IReadOnlyList<FieldError> errors, IReadOnlyList<string> missingFields)
    {
        Value = value;
        Errors = errors;
        MissingFields = missingFields;
    }

    public T? Value { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public IReadOnlyList<string> MissingFields { get; }

    public bool IsRejected => Errors.Count > 0;

    public bool IsMissing => !IsRejected && Value is null;

    public static ScoreResult<T> Scored(T value) => new(value, [], []);

    public static ScoreResult<T> Missing(IReadOnlyList<string> missingFields) => new(null, [], missingFields);

    public static ScoreResult<T> Rejected(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A rejection needs at least one error.", nameof(errors)) : new(null, errors, []);

    /// <summary>Rejected when there are errors, missing when fields are missing, else scored by <paramref name="score"/>.</summary>
    internal static ScoreResult<T> From(List<FieldError> errors, List<string> missing, Func<T> score) =>
        errors.Count > 0 ? Rejected(errors) : missing.Count > 0 ? Missing(missing) : Scored(score());
}
