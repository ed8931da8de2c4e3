using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Reading a roll (padrón) from a spreadsheet's CSV: the column names, roles, languages and phones people write.</summary>
public sealed class RollImportTests
{
    private static (IReadOnlyList<RollRow> Rows, IReadOnlyList<string> Faults) Parse(string csv)
    {
        var v = new Validation();
        var rows = RollImport.Parse(v, csv);
        try
        {
            v.ThrowIfInvalid();
            return (rows, []);
        }
        catch (InvalidArgumentException invalid)
        {
            Assert.All(invalid.Violations, f => Assert.Equal("csv", f.Field));
            return (rows, [.. invalid.Violations.Select(f => f.Description)]);
        }
    }

    [Fact]
    public void A_spanish_spreadsheet_with_semicolons_quotes_and_a_byte_order_mark_is_read()
    {
        var (rows, faults) = Parse(
            "\uFEFFNombres y Apellidos;DNI;Cargo;Teléfono;Idioma;Organización\r\n" +
            "\"Quispe Huamán, Rosa\";01234567;Comunera calificada;984 123 456;Quechua;\r\n" +
            "\r\n" +
            "Juan Mamani;76543210;Delegado;+51984000111;castellano;Comunidad Campesina de Manzanares\r\n" +
            "Ing. Luz Ccori;44556677;asesora técnica;;EN;\r\n" +
            "\"Pedro \"\"Perico\"\" Puma\";11223344;;;;\r\n");
        Assert.Empty(faults);
        Assert.Equal(
            [
                new RollRow(2, "Quispe Huamán, Rosa", "01234567", MemberRole.VotingMember, "+51984123456", "qu-PE", ""),
                new RollRow(4, "Juan Mamani", "76543210", MemberRole.Delegate, "+51984000111", "es-PE", "Comunidad Campesina de Manzanares"),
                new RollRow(5, "Ing. Luz Ccori", "44556677", MemberRole.TechnicalAdvisor, "", "en", ""),
                new RollRow(6, "Pedro \"Perico\" Puma", "11223344", MemberRole.VotingMember, "", "es-PE", ""),
            ],
            rows);
    }

    [Fact]
    public void Sex_is_read_where_the_file_gives_it()
    {
        var (rows, faults) = Parse("nombre,dni,sexo\nRosa,01234567,F\nJuan,76543210,Varón\nLuz,11223344,\nPedro,44556677,hombre\n");
        Assert.Empty(faults);
        Assert.Equal([Sex.Female, Sex.Male, null, Sex.Male], rows.Select(r => r.Sex));
        Assert.Equal(["line 2, sex: is not a sex this import knows (X): write F or M (mujer or varón), or leave it empty"], Parse("nombre,dni,sexo\nRosa,01234567,X\n").Faults);
    }

    [Fact]
    public void English_and_proto_names_are_read_too()
    {
        var (rows, faults) = Parse("full_name,national_id,role,phone_number,preferred_language\nRosa Quispe,01234567,MEMBER_ROLE_OBSERVER,,qu-PE\n");
        Assert.Empty(faults);
        Assert.Equal((MemberRole.Observer, "qu-PE"), (rows[0].Role, rows[0].PreferredLanguage));
    }

    [Fact]
    public void Every_fault_is_named_with_its_line_and_column()
    {
        var (_, faults) = Parse(
            "nombre,dni,rol,telefono,idioma\n" +
            ",123,alcalde,12345,francés\n" +
            "Rosa Quispe,01234567,delegada,,\n" +
            "Juan Mamani,01234567,,,\n" +
            "Luz,87654321,,,,extra\n");
        Assert.Equal(
            [
                "line 2, name: is required",
                "line 2, phone: must be in E.164 form, e.g. +51984123456",
                "line 2, dni: must be a DNI: 8 digits, e.g. 01234567",
                "line 2, role: is not a role this import knows (alcalde): write comunero, delegado, facilitador, asesor técnico or observador",
                "line 2, language: is not a language this import knows (francés): write es, qu or en",
                "line 3, organization: is required for a delegate: the organisation the delegate votes for",
                "line 4, dni: is given on line 3 too",
                "line 5, line: has 6 values for 5 columns",
            ],
            faults);
    }

    [Fact]
    public void Unknown_missing_and_repeated_columns_are_refused_before_any_line()
    {
        var (rows, faults) = Parse("nombre;apodo;nombres\nRosa;Rosita;Rosa\n");
        Assert.Empty(rows);
        Assert.Equal(3, faults.Count);
        Assert.StartsWith("line 1, apodo: is not a column this import reads (it reads: ", faults[0], StringComparison.Ordinal);
        Assert.Equal("line 1, nombres: is a second 'name' column", faults[1]);
        Assert.Equal("line 1, header: has no dni column", faults[2]);
    }

    [Fact]
    public void An_empty_file_a_header_alone_and_a_file_of_faults_answer_briefly()
    {
        Assert.Equal(["is required: a header line and one line per member"], Parse(" ").Faults);
        Assert.Equal(["has a header but no member"], Parse("nombre,dni\n").Faults);
        var broken = Parse("nombre,dni\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"Persona {i},12\n"))).Faults;
        Assert.Equal(RollImport.MaxListedFaults + 1, broken.Count);
        Assert.Equal("and 150 more faults", broken[^1]);
    }
}
