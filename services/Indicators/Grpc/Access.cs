using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Indicators.Grpc;

/// <summary>
/// Who may do what in a watershed (docs/authorization.md has every RPC). The survey team (facilitators and analysts, and
/// admins) runs the surveys and indicators; adding a watershed itself is its facilitators' (and admins') alone. Reading
/// aggregates, areas, rounds, targets and alerts needs a known role there, so a token that names a watershed but carries
/// no role reads nothing; household-level answers are the survey team's only.
/// </summary>
internal static class Access
{
    public static void RequireReader(this Caller caller, string watershedCode) => caller.RequireRead(watershedCode);

    /// <summary>Rounds, imports, areas below the watershed, custom indicators, DHIS2 mappings, targets, alert rules.</summary>
    public static void RequireWriter(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator, Roles.Analyst);

    /// <summary>A watershed's own area, the root every other area, round and indicator hangs from: administering the watershed itself.</summary>
    public static void RequireWatershedAdministrator(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator);

    /// <summary>
    /// Households' answers one by one (submissions and their CSV export): the survey team. Members and viewers read the
    /// figures, not what each household of their neighbours answered.
    /// </summary>
    public static void RequireMicrodataReader(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator, Roles.Analyst);

    /// <summary>The watershed a request names under watershed_id, once the caller may read it (or write, when asked).</summary>
    public static async Task<Area> WatershedAsync(this IndicatorsDbContext db, Guid id, Caller caller, bool writing, CancellationToken ct)
    {
        var area = await db.AreaAsync(id, ct);
        if (writing)
        {
            caller.RequireWriter(area.WatershedCode);
        }
        else
        {
            caller.RequireReader(area.WatershedCode);
        }

        return area.AsWatershed("watershed_id");
    }
}
