using System.Net;
using System.Net.Sockets;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults.Events;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Notifications.Tests.Api;

/// <summary>Events as publishers send them, and requests the tests reuse.</summary>
public static class Sample
{
    public const string Watershed = "pomacanchi";

    public static readonly Guid SpaceId = Guid.Parse("0193a1b2-0000-7000-8000-00000000a001");

    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>The event as daprd hands it to the app: CloudEvent attributes, extensions and the data as protobuf JSON.</summary>
    public static TopicEventRequest Delivered(IMessage message, string id, string subject, DateTimeOffset? time = null) => new()
    {
        Id = id,
        Source = $"watershed-{message.Descriptor.File.Package.Split('.')[1]}",
        Type = message.Descriptor.FullName,
        SpecVersion = "1.0",
        DataContentType = "application/json",
        Topic = EventTopics.For(message.Descriptor),
        PubsubName = "pubsub",
        Data = ByteString.CopyFromUtf8(Json.Format(message)),
        Extensions = new Struct
        {
            Fields =
            {
                ["subject"] = Value.ForString(subject),
                ["time"] = Value.ForString((time ?? new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture)),
                ["traceparent"] = Value.ForString("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            },
        },
    };

    public static ConsultationV1.ConsultationScope Scope(string watershed = Watershed) => new()
    {
        WatershedId = "0193a1b2-0000-7000-8000-0000000000f1",
        WatershedCode = watershed,
        SpaceId = SpaceId.ToString(),
    };

    public static ConsultationV1.BallotClosed BallotClosed(bool approved = true) => new()
    {
        BallotId = "0193a1b2-0000-7000-8000-00000000b001",
        Scope = Scope(),
        ProposalId = "0193a1b2-0000-7000-8000-00000000c001",
        AssemblyId = "0193a1b2-0000-7000-8000-00000000d001",
        ProposalTitle = "Riego por aspersión en Tocorani",
        ProposalType = ConsultationV1.ProposalType.LandUseChange,
        Rule = ConsultationV1.DecisionRule.TwoThirdsOfRoll,
        Tally = new ConsultationV1.Tally { Yes = 9, No = 2, Abstain = 1, Cast = 12 },
        Eligible = 12,
        Roll = 13,
        Result = new ConsultationV1.BallotResult { Approved = approved, RequiredYes = 9, Explanation = "9 yes of 13 on the roll; two thirds of the roll needs 9" },
        LogHeadHash = "9f2c",
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
    };

    public static ConsultationV1.AssemblyConvened AssemblyConvened() => new()
    {
        AssemblyId = "0193a1b2-0000-7000-8000-00000000d001",
        Scope = Scope(),
        Title = "Asamblea ordinaria de diciembre",
        Place = "Local comunal de Tocorani",
        ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        Agenda = { "Plan de uso del suelo 2027", "Faena de limpieza de canales" },
    };

    public static IndicatorsV1.AlertRaised AlertRaised() => new()
    {
        RuleId = "0193a1b2-0000-7000-8000-00000000e001",
        IndicatorCode = "FCS",
        AreaId = "0193a1b2-0000-7000-8000-00000000e002",
        Metric = "percent:poor",
        Period = "2025Q4",
        ObservedValue = "28.125",
        N = 32,
        WatershedCode = Watershed,
        AreaCode = "MZN",
        AreaName = "Manzanares",
        Condition = "hogares con consumo pobre por encima del 20 %",
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
    };

    public static IndicatorsV1.SubmissionsImported Imported(string round, int rows) => new()
    {
        SurveyRoundId = "0193a1b2-0000-7000-8000-00000000f001",
        StoredRows = rows,
        AreaIds = { "0193a1b2-0000-7000-8000-00000000e002" },
        WatershedCode = Watershed,
        SurveyRoundName = round,
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
    };

    public static LandUseV1.PlanVersionApproved PlanApproved() => new()
    {
        Version = new LandUseV1.PlanVersionRef
        {
            PlanId = "0193a1b2-0000-7000-8000-0000000a0001",
            PlanVersionId = "0193a1b2-0000-7000-8000-0000000a0002",
            Number = 2,
            PlanTitle = "Plan de uso de la cuenca Pomacanchi",
            WatershedUnitId = "0193a1b2-0000-7000-8000-0000000a0003",
            WatershedCode = Watershed,
        },
        ProposalId = "0193a1b2-0000-7000-8000-00000000c001",
        ZoneCount = 4,
        AreaHa = 1234.56,
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
    };

    public static CreateWatcherRequest Watcher(string name, params Channel[] channels) => new()
    {
        WatershedCode = Watershed,
        Name = name,
        Organization = "Cáritas Cusco",
        PhoneNumber = "+51984111222",
        Email = "alertas@caritas.example",
        Language = Language.Es,
        Kinds = { EventKind.Alerts, EventKind.PlanChanges, EventKind.Imports, EventKind.Decisions, EventKind.Assemblies },
        Channels = { channels.Length == 0 ? [Channel.Email] : channels },
    };
}
