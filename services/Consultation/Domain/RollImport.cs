using System.Globalization;
using System.Text;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>One member of an imported roll (padrón), as its CSV line gives them, already checked.</summary>
/// <param name="Line">The line of the file (the header is line 1).</param>
/// <param name="OrganizationName">For delegates: the organisation they vote for, by name.</param>
/// <param name="Sex">As the file gives it; null when not given.</param>
public sealed record RollRow(int Line, string FullName, string NationalId, MemberRole Role, string PhoneNumber, string PreferredLanguage, string OrganizationName,
    Sex? Sex = null);

/// <summary>
/// Reads a roll from CSV as communities and district offices keep it in a spreadsheet: Spanish or English column names,
/// roles and languages in words, Peruvian mobile numbers without the country code. Every fault of the file is named with
/// its line and column under the request's <c>csv</c> field; a file with any fault imports nothing.
/// </summary>
public static class RollImport
{
    public const int MaxRows = 5_000;

    public const int MaxCharacters = 2_000_000;

    /// <summary>At most this many faults are listed; the rest are counted, so a broken file gets a small answer.</summary>
    public const int MaxListedFaults = 50;

    private const string Field = "csv";

    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["nombre"] = "name", ["nombres"] = "name", ["nombre completo"] = "name", ["nombres y apellidos"] = "name",
        ["apellidos y nombres"] = "name", ["name"] = "name", ["full name"] = "name",
        ["dni"] = "dni", ["documento"] = "dni", ["numero de dni"] = "dni", ["national id"] = "dni",
        ["rol"] = "role", ["cargo"] = "role", ["role"] = "role",
        ["telefono"] = "phone", ["celular"] = "phone", ["movil"] = "phone", ["phone"] = "phone", ["phone number"] = "phone",
        ["idioma"] = "language", ["lengua"] = "language", ["language"] = "language", ["preferred language"] = "language",
        ["organizacion"] = "organization", ["organization"] = "organization", ["comunidad"] = "organization",
        ["sexo"] = "sex", ["sex"] = "sex",
    };

    private static readonly Dictionary<string, Sex?> SexWords = new(StringComparer.Ordinal)
    {
        [""] = null,
        ["f"] = Sex.Female, ["mujer"] = Sex.Female, ["femenino"] = Sex.Female, ["female"] = Sex.Female, ["sex female"] = Sex.Female,
        ["m"] = Sex.Male, ["varon"] = Sex.Male, ["hombre"] = Sex.Male, ["masculino"] = Sex.Male, ["male"] = Sex.Male, ["sex male"] = Sex.Male,
    };

    private static readonly Dictionary<string, MemberRole> RoleWords = new(StringComparer.Ordinal)
    {
        [""] = MemberRole.VotingMember, ["comunero"] = MemberRole.VotingMember, ["comunera"] = MemberRole.VotingMember,
        ["comunero a"] = MemberRole.VotingMember, ["comunero calificado"] = MemberRole.VotingMember,
        ["comunera calificada"] = MemberRole.VotingMember, ["comunero a calificado a"] = MemberRole.VotingMember,
        ["agente participante"] = MemberRole.VotingMember, ["votante"] = MemberRole.VotingMember,
        ["voting member"] = MemberRole.VotingMember, ["member role voting member"] = MemberRole.VotingMember,
        ["delegado"] = MemberRole.Delegate, ["delegada"] = MemberRole.Delegate, ["delegado a"] = MemberRole.Delegate,
        ["delegate"] = MemberRole.Delegate, ["member role delegate"] = MemberRole.Delegate,
        ["facilitador"] = MemberRole.Facilitator, ["facilitadora"] = MemberRole.Facilitator, ["facilitador a"] = MemberRole.Facilitator,
        ["facilitator"] = MemberRole.Facilitator, ["member role facilitator"] = MemberRole.Facilitator,
        ["asesor tecnico"] = MemberRole.TechnicalAdvisor, ["asesora tecnica"] = MemberRole.TechnicalAdvisor,
        ["asesor a tecnico a"] = MemberRole.TechnicalAdvisor, ["equipo tecnico"] = MemberRole.TechnicalAdvisor,
        ["tecnico"] = MemberRole.TechnicalAdvisor, ["tecnica"] = MemberRole.TechnicalAdvisor,
        ["technical advisor"] = MemberRole.TechnicalAdvisor, ["member role technical advisor"] = MemberRole.TechnicalAdvisor,
        ["observador"] = MemberRole.Observer, ["observadora"] = MemberRole.Observer, ["observador a"] = MemberRole.Observer,
        ["observer"] = MemberRole.Observer, ["member role observer"] = MemberRole.Observer,
    };

    private static readonly Dictionary<string, string> LanguageWords = new(StringComparer.Ordinal)
    {
        [""] = "es-PE", ["es"] = "es-PE", ["es pe"] = "es-PE", ["castellano"] = "es-PE", ["espanol"] = "es-PE", ["spanish"] = "es-PE",
        ["qu"] = "qu-PE", ["qu pe"] = "qu-PE", ["quz"] = "qu-PE", ["quechua"] = "qu-PE", ["runasimi"] = "qu-PE", ["runa simi"] = "qu-PE",
        ["en"] = "en", ["english"] = "en", ["ingles"] = "en",
    };

    /// <summary>The accepted column names, for the message of an unknown one.</summary>
    public static IEnumerable<string> KnownColumns => Columns.Keys.Order(StringComparer.Ordinal);

    /// <summary>The rows of <paramref name="csv"/>, each checked; every fault is added to <paramref name="v"/> under <c>csv</c>.</summary>
    public static IReadOnlyList<RollRow> Parse(Validation v, string? csv)
    {
        var faults = new Faults(v);
        if (string.IsNullOrWhiteSpace(csv))
        {
            v.Add(Field, "is required: a header line and one line per member");
            return [];
        }

        if (csv.Length > MaxCharacters)
        {
            v.Add(Field, $"must be at most {MaxCharacters} characters");
            return [];
        }

        var lines = Lines(csv.TrimStart('\uFEFF'));
        if (lines.Count == 0)
        {
            v.Add(Field, "is required: a header line and one line per member");
            return [];
        }

        var separator = Separator(lines[0].Text);
        var header = Split(lines[0].Text, separator);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = Normalise(header[i]);
            if (!Columns.TryGetValue(name, out var column))
            {
                faults.Add(lines[0].Number, Echo.Of(header[i]), $"is not a column this import reads (it reads: {string.Join(", ", KnownColumns)})");
            }
            else if (!columns.TryAdd(column, i))
            {
                faults.Add(lines[0].Number, Echo.Of(header[i]), $"is a second '{column}' column");
            }
        }

        foreach (var required in new[] { "name", "dni" })
        {
            if (!columns.ContainsKey(required))
            {
                faults.Add(lines[0].Number, "header", $"has no {required} column");
            }
        }

        if (!faults.None)
        {
            faults.Finish();
            return [];
        }

        if (lines.Count - 1 > MaxRows)
        {
            v.Add(Field, $"must have at most {MaxRows} members");
            return [];
        }

        var rows = new List<RollRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var values = Split(line.Text, separator);
            string Value(string column) => columns.TryGetValue(column, out var i) && i < values.Count ? values[i].Trim() : string.Empty;
            if (values.Count > header.Count)
            {
                faults.Add(line.Number, "line", $"has {values.Count} values for {header.Count} columns");
                continue;
            }

            var dni = Value("dni");
            if (dni.Length > 0 && !seen.TryAdd(dni, line.Number))
            {
                faults.Add(line.Number, "dni", $"is given on line {seen[dni]} too");
                continue;
            }

            if (Row(faults, line.Number, Value("name"), dni, Value("role"), Value("phone"), Value("language"), Value("organization"), Value("sex")) is { } row)
            {
                rows.Add(row);
            }
        }

        if (rows.Count == 0 && faults.None)
        {
            v.Add(Field, "has a header but no member");
        }

        faults.Finish();
        return rows;
    }

    private static RollRow? Row(Faults faults, int line, string name, string dni, string role, string phone, string language, string organization, string sex)
    {
        var row = new Validation();
        var details = Person.Check(row, name, NormalisePhone(phone), "es-PE");
        var nationalId = Person.CheckNationalId(row, dni);
        row.Check(nationalId.Length > 0, "national_id", "is required: the DNI finds the person again on a later import");
        var memberRole = RoleWords.TryGetValue(Normalise(role), out var known) ? known : (MemberRole?)null;
        row.Check(memberRole is not null, "role", $"is not a role this import knows ({Echo.Of(role)}): write comunero, delegado, facilitador, asesor técnico or observador");
        var languageTag = LanguageWords.GetValueOrDefault(Normalise(language));
        row.Check(languageTag is not null, "preferred_language", $"is not a language this import knows ({Echo.Of(language)}): write es, qu or en");
        var organizationName = row.OptionalLine(organization, "organization", 200);
        Member.CheckRole(row, memberRole, organizationName.Length > 0);
        row.Check(SexWords.ContainsKey(Normalise(sex)), "sex", $"is not a sex this import knows ({Echo.Of(sex)}): write F or M (mujer or varón), or leave it empty");
        var found = faults.AddAll(line, row);
        return found ? null : new RollRow(line, details.FullName, nationalId, memberRole!.Value, details.PhoneNumber, languageTag!, organizationName,
            SexWords.GetValueOrDefault(Normalise(sex)));
    }

    /// <summary>A Peruvian mobile written as 9 digits starting with 9 (spaces and hyphens allowed) gets the country code; anything else stays as given.</summary>
    private static string NormalisePhone(string phone)
    {
        var digits = new string([.. phone.Where(c => c is not (' ' or '-'))]);
        return digits.Length == 9 && digits[0] == '9' && digits.All(char.IsAsciiDigit) ? "+51" + digits : phone;
    }

    /// <summary>Lower case, no accents, and spaces for any run of spaces, underscores, hyphens or slashes.</summary>
    private static string Normalise(string text)
    {
        var plain = new StringBuilder();
        foreach (var c in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            plain.Append(c is '_' or '-' or '/' or '.' ? ' ' : char.ToLowerInvariant(c));
        }

        return string.Join(' ', plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static char Separator(string header) =>
        header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';

    /// <summary>The file's lines with their numbers; blank lines are skipped, line breaks inside quotes kept.</summary>
    private static List<(int Number, string Text)> Lines(string csv)
    {
        var lines = new List<(int, string)>();
        var current = new StringBuilder();
        var quoted = false;
        var number = 1;
        var start = 1;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (!quoted && c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                {
                    i++;
                }

                if (current.ToString().Trim().Length > 0)
                {
                    lines.Add((start, current.ToString()));
                }

                current.Clear();
                number++;
                start = number;
                continue;
            }

            if (c == '\n')
            {
                number++;
            }

            current.Append(c);
        }

        if (current.ToString().Trim().Length > 0)
        {
            lines.Add((start, current.ToString()));
        }

        return lines;
    }

    private static List<string> Split(string line, char separator)
    {
        var values = new List<string>();
        var value = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    value.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    value.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                values.Add(value.ToString());
                value.Clear();
            }
            else
            {
                value.Append(c);
            }
        }

        values.Add(value.ToString());
        return values;
    }

    /// <summary>The file's faults, each as "line N, column: what is wrong" under <c>csv</c>; past <see cref="MaxListedFaults"/> only counted.</summary>
    private sealed class Faults(Validation v)
    {
        private static readonly Dictionary<string, string> ColumnOfField = new(StringComparer.Ordinal)
        {
            ["full_name"] = "name", ["national_id"] = "dni", ["phone_number"] = "phone", ["preferred_language"] = "language",
            ["organization_id"] = "organization",
        };

        private int _count;

        public bool None => _count == 0;

        public void Add(int line, string column, string description)
        {
            if (++_count <= MaxListedFaults)
            {
                v.Add(Field, $"line {line}, {column}: {description}");
            }
        }

        /// <summary>Adds a row's own violations (named by the person's fields) with the line and the CSV column.</summary>
        /// <returns>Whether the row had any.</returns>
        public bool AddAll(int line, Validation row)
        {
            try
            {
                row.ThrowIfInvalid();
                return false;
            }
            catch (InvalidArgumentException invalid)
            {
                foreach (var violation in invalid.Violations)
                {
                    Add(line, ColumnOfField.GetValueOrDefault(violation.Field, violation.Field), violation.Description);
                }

                return true;
            }
        }

        public void Finish()
        {
            if (_count > MaxListedFaults)
            {
                v.Add(Field, $"and {_count - MaxListedFaults} more faults");
            }
        }
    }
}
