using System.Text.RegularExpressions;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Tests.Domain;

/// <summary>Messages for people in Spanish, Quechua and English: names not codes, local times, one SMS where it can.</summary>
public sealed partial class TemplateTests
{
    private static readonly TimeZoneInfo Lima = TimeZoneInfo.FindSystemTimeZoneById("America/Lima");
    private static readonly MessageTemplates Templates = new(Lima);

    private static readonly AssemblyConvenedNotice Assembly = new("pomacanchi", "Asamblea ordinaria de diciembre", "Local comunal de Tocorani",
        new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero), ["Plan de uso del suelo 2027", "Faena de limpieza de canales"]);

    private static readonly BallotClosedNotice Ballot = new("pomacanchi", "Riego por aspersión en Tocorani", true, 9, 2, 1, 0, 12);

    private static readonly AlertNotice Alert = new("pomacanchi", "Manzanares", "share of households with poor food consumption above 20 %", "28.125", true, "2025Q4", 32, true);

    private static readonly PlanVersionNotice PlanApproved = new("pomacanchi", "Plan de uso de la cuenca Pomacanchi", 2, 4, 1234.56, true);

    public static TheoryData<Notice> Notices() =>
    [
        Assembly,
        Assembly with { ScheduledAt = null },
        Ballot,
        Ballot with { Approved = false, Block = 1 },
        new ProposalDecidedNotice("pomacanchi", "Aprobación del plan de uso 2027", ProposalKind.PlanApproval, true),
        new ProposalDecidedNotice("pomacanchi", "Partida para el canal de Conchacalla", ProposalKind.BudgetItem, false),
        PlanApproved,
        PlanApproved with { Approved = false, Number = 3 },
        Alert,
        Alert with { Raised = false, ObservedValue = "14.6", Period = "2026Q3" },
        new AlertNotice("pomacanchi", "Santa Lucía", "", "3.4", false, "202603", 26, true),
        new ImportNotice("pomacanchi", "Seguimiento 2026Q3 Conchacalla", 26, 1),
    ];

    [Theory]
    [MemberData(nameof(Notices))]
    public void Every_kind_has_an_sms_and_an_email_in_each_language_that_name_no_ids_or_codes(Notice notice)
    {
        foreach (var language in Enum.GetValues<Language>())
        {
            var sms = Templates.Sms(notice, language);
            var email = Templates.Email(notice, language);
            Assert.Equal(new SmsCount(SmsEncoding.Gsm7, sms.Body.Length, 1), SmsText.Count(sms.Body));
            Assert.Equal(1, sms.SmsSegments);
            Assert.NotEmpty(email.Subject);
            Assert.NotEmpty(email.Body);
            foreach (var text in new[] { sms.Body, email.Subject, email.Body })
            {
                Assert.DoesNotMatch(Uuid(), text);
                Assert.DoesNotContain("pomacanchi", text, StringComparison.Ordinal);
                Assert.DoesNotContain("{0}", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Spanish_ballot_result_sms()
    {
        Assert.Equal(
            "Resultado de la votacion: \"Riego por aspersion en Tocorani\" fue APROBADA. Si 9, no 2, abstenciones 1 (12 votos).",
            Templates.Sms(Ballot, Language.Es).Body);
        Assert.Equal(
            "Resultado de la votacion: \"Riego por aspersion en Tocorani\" fue RECHAZADA. Si 9, no 2, abstenciones 1, bloqueos 1 (12 votos).",
            Templates.Sms(Ballot with { Approved = false, Block = 1 }, Language.Es).Body);
    }

    [Fact]
    public void Quechua_ballot_result_and_assembly_sms_use_the_glossary_and_local_time()
    {
        Assert.Equal(
            "\"Riego por aspersion en Tocorani\": asambleaqa manan propuesta nisqata chaskirqanchu. Ari 9, mana 2, mana akllaspa 1; llapan 12.",
            Templates.Sms(Ballot with { Approved = false }, Language.Qu).Body);
        Assert.Equal(
            "Asamblea: Asamblea ordinaria de diciembre. Huñunakuy kanqa 12 diciembre killapi, 09:00 urapi, Local comunal de Tocoranipi.",
            Templates.Sms(Assembly, Language.Qu).Body);
    }

    [Fact]
    public void English_alert_sms_rounds_the_figure_and_names_the_quarter()
    {
        Assert.Equal(
            "Alert in Manzanares: share of households with poor food consumption above 20 %. Value 28.1 % (Q4 2025, 32 households).",
            Templates.Sms(Alert, Language.En).Body);
    }

    [Fact]
    public void Spanish_plan_approval_email_has_a_subject_and_a_plain_text_body()
    {
        var email = Templates.Email(PlanApproved, Language.Es);
        Assert.Equal("Plan aprobado: Plan de uso de la cuenca Pomacanchi, versión 2", email.Subject);
        Assert.Equal(
            "La versión 2 del plan «Plan de uso de la cuenca Pomacanchi» fue aprobada por la asamblea y está vigente.\n" +
            "\n" +
            "Zonas: 4\n" +
            "Superficie: 1234.6 ha\n" +
            "\n" +
            "Watershed: avisos de la consulta y la planificación de su cuenca. Para dejar de recibirlos, pida a su facilitador que cambie sus preferencias.\n",
            email.Body);
    }

    [Fact]
    public void A_digest_of_imports_is_one_sms_and_a_single_import_reads_as_its_own_message()
    {
        ImportNotice[] imports = [new("pomacanchi", "Baseline Manzanares", 32, 1), new("pomacanchi", "Baseline Conchacalla", 26, 1)];
        Assert.Equal(
            "Daily summary: 2 survey imports, 58 new households: Baseline Manzanares 32, Baseline Conchacalla 26.",
            Templates.DigestSms(imports, Language.En).Body);
        Assert.Equal(Templates.Sms(imports[0], Language.Es), Templates.DigestSms(imports[..1], Language.Es));
        var email = Templates.DigestEmail(imports, Language.Es);
        Assert.Equal("Resumen del día: 2 importaciones de encuestas", email.Subject);
        Assert.StartsWith(
            "Hoy se guardaron 58 hogares nuevos en 2 importaciones de encuestas:\n\n- Baseline Manzanares: 32 hogares en 1 área\n- Baseline Conchacalla: 26 hogares en 1 área\n",
            email.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es-PE", Language.Es)]
    [InlineData("qu-PE", Language.Qu)]
    [InlineData("quz", Language.Qu)]
    [InlineData("en", Language.En)]
    [InlineData("en-GB", Language.En)]
    [InlineData("ay", Language.Es)]
    [InlineData("", Language.Es)]
    public void Languages_fall_back_to_spanish(string tag, Language expected) => Assert.Equal(expected, Languages.FromTag(tag));

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-")]
    private static partial Regex Uuid();
}
