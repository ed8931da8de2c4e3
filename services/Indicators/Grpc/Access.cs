using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Indicators.Grpc;

/// <summary>
/// Who may do what in a watershed: facilitators (and admins) write; reading needs a known role there too, so a
/// token that names a watershed but carries no role reads nothing.
/// </summary>
internal static class Access
{
    public static void RequireReader(this Caller caller, string watershedCode) => caller.RequireRead(watershedCode);

    public static void RequireWriter(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator);

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
