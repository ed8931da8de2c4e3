using Google.Protobuf.WellKnownTypes;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using V1 = Watershed.LandUse.V1;

namespace Watershed.LandUse.Grpc;

/// <summary>Domain ↔ contract mapping; enum numbers are equal on both sides.</summary>
internal static class Mapping
{
    public static Timestamp? ToTimestamp(this DateTimeOffset? value) => value is null ? null : Timestamp.FromDateTimeOffset(value.Value);

    public static V1.WatershedUnit ToContract(this WatershedUnit w, bool withBoundary = true) => new()
    {
        Id = w.Id.ToString(),
        Code = w.Code,
        Name = w.Name,
        BoundaryGeojson = withBoundary ? GeometryJson.Write(w.Boundary) : string.Empty,
        AreaHa = w.AreaHectares,
    };

    public static V1.Plan ToContract(this Plan p) => new()
    {
        Id = p.Id.ToString(),
        WatershedUnitId = p.WatershedId.ToString(),
        Title = p.Title,
        CreatedAt = Timestamp.FromDateTimeOffset(p.CreatedAt),
        ApprovedVersionId = p.ApprovedVersion?.Id.ToString() ?? string.Empty,
        OpenVersionId = p.OpenVersion?.Id.ToString() ?? string.Empty,
    };

    public static V1.PlanVersion ToContract(this PlanVersion v, bool withZones = true)
    {
        var contract = new V1.PlanVersion
        {
            Id = v.Id.ToString(),
            PlanId = v.PlanId.ToString(),
            Number = v.Number,
            BasedOnVersionId = v.BasedOnVersionId?.ToString() ?? string.Empty,
            State = (V1.PlanVersionState)v.State,
            Horizon = new V1.PlanHorizon { FromYear = v.Horizon.FromYear, ToYear = v.Horizon.ToYear },
            ZoneCount = v.Zones.Count,
            AreaHa = v.AreaHectares,
            CreatedAt = Timestamp.FromDateTimeOffset(v.CreatedAt),
            SubmittedAt = v.SubmittedAt.ToTimestamp(),
            DecidedAt = v.DecidedAt.ToTimestamp(),
            SupersededAt = v.SupersededAt.ToTimestamp(),
            ApprovedByProposalId = v.ApprovedByProposalId?.ToString() ?? string.Empty,
        };
        contract.Goals.AddRange(v.Goals);
        if (withZones)
        {
            contract.Zones.AddRange(v.Zones.OrderBy(z => z.Code, StringComparer.Ordinal).Select(z => z.ToContract()));
        }

        return contract;
    }

    public static V1.Zone ToContract(this Zone z)
    {
        var content = new V1.ZoneContent
        {
            ZoneCode = z.Code,
            Name = z.Name,
            Category = (V1.ZeeCategory)z.Category,
            Subcategory = (V1.ZeeSubcategory)z.Subcategory,
            Notes = z.Notes,
            GeometryGeojson = GeometryJson.Write(z.Geometry),
        };
        content.Uses.AddRange(z.Uses.Select(u => new V1.AllowedUse { Use = u.Use, Rating = (V1.UseRating)u.Rating }));
        return new V1.Zone { Id = z.Id.ToString(), Content = content, AreaHa = z.AreaHectares };
    }
}
