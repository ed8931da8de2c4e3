using System.Diagnostics;
using System.Diagnostics.Metrics;
using Watershed.ServiceDefaults;

namespace Watershed.LandUse;

/// <summary>
/// Land use's spans and counters (source and meter "watershed-landuse"). Counters are tagged with the
/// watershed code, which has few values; spans carry the ids of what they touched. Never names or free text.
/// </summary>
public sealed class LandUseTelemetry : ServiceTelemetry
{
    private readonly Counter<long> _approvals;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _withdrawn;
    private readonly Counter<long> _zonesImported;

    public LandUseTelemetry(IMeterFactory meters, ServiceIdentity service)
        : base(meters, service)
    {
        _approvals = Meter.CreateCounter<long>("watershed.landuse.approvals", "{approval}",
            "Approvals asked for, by outcome: approved; refused (the cited decision does not approve the version); unavailable (consultation did not answer).");
        _submitted = Meter.CreateCounter<long>("watershed.landuse.versions.submitted", "{version}", "Plan versions put to consultation.");
        _withdrawn = Meter.CreateCounter<long>("watershed.landuse.versions.withdrawn", "{version}", "Plan versions withdrawn from consultation.");
        _zonesImported = Meter.CreateCounter<long>("watershed.landuse.zones.imported", "{zone}", "Zones stored from imported GeoJSON files.");
    }

    public static class Outcome
    {
        public const string Approved = "approved";
        public const string Refused = "refused";
        public const string Unavailable = "unavailable";
    }

    public Activity? StartApproval(Guid planId, Guid versionId, Guid proposalId) =>
        Start("ApprovePlanVersion")?
            .SetTag("plan.id", planId.ToString())
            .SetTag("plan_version.id", versionId.ToString())
            .SetTag("proposal.id", proposalId.ToString());

    public Activity? StartImport(Guid versionId) =>
        Start("ImportPlanVersionZones")?.SetTag("plan_version.id", versionId.ToString());

    public void Approval(string outcome, string watershedCode) =>
        _approvals.Add(1, new KeyValuePair<string, object?>("outcome", outcome), Watershed(watershedCode));

    public void Submitted(string watershedCode) => _submitted.Add(1, Watershed(watershedCode));

    public void Withdrawn(string watershedCode) => _withdrawn.Add(1, Watershed(watershedCode));

    public void ZonesImported(int count, string watershedCode) => _zonesImported.Add(count, Watershed(watershedCode));

    private static KeyValuePair<string, object?> Watershed(string code) => new("watershed.code", code);
}
