using Google.Protobuf.WellKnownTypes;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.ServiceDefaults.Grpc;
using V1 = Watershed.LandUse.V1;

namespace Watershed.LandUse.Grpc;

/// <summary>Proto ⇄ domain conversions; each domain enum is its proto enum's twin.</summary>
internal static class Mapping
{
    public static Timestamp? ToTimestamp(this DateTimeOffset? value) => value is null ? null : Timestamp.FromDateTimeOffset(value.Value);

    public static V1.WatershedUnit ToContract(this WatershedUnit w) => new()
    {
        Id = w.Id.ToString(),
        Code = w.Code,
        Name = w.Name,
        BoundaryGeojson = GeometryJson.Write(w.Boundary),
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

    /// <summary>The version with its zones, which must have been loaded.</summary>
    public static V1.PlanVersion ToContract(this PlanVersion v)
    {
        var contract = v.ToContract(new ZoneTotals(v.Zones.Count, v.AreaHectares));
        contract.Zones.AddRange(v.Zones.OrderBy(z => z.Code, StringComparer.Ordinal).Select(z => z.ToContract()));
        return contract;
    }

    /// <summary>The version without zones, as lists answer it.</summary>
    public static V1.PlanVersion ToContract(this PlanVersion v, ZoneTotals zones)
    {
        var contract = new V1.PlanVersion
        {
            Id = v.Id.ToString(),
            PlanId = v.PlanId.ToString(),
            Number = v.Number,
            BasedOnVersionId = v.BasedOnVersionId?.ToString() ?? string.Empty,
            State = v.State.ToContract<PlanVersionState, V1.PlanVersionState>(),
            Horizon = new V1.PlanHorizon { FromYear = v.Horizon.FromYear, ToYear = v.Horizon.ToYear },
            ZoneCount = zones.Count,
            AreaHa = zones.AreaHectares,
            CreatedAt = Timestamp.FromDateTimeOffset(v.CreatedAt),
            SubmittedAt = v.SubmittedAt.ToTimestamp(),
            DecidedAt = v.DecidedAt.ToTimestamp(),
            SupersededAt = v.SupersededAt.ToTimestamp(),
            ApprovedByProposalId = v.ApprovedByProposalId?.ToString() ?? string.Empty,
        };
        contract.Goals.AddRange(v.Goals);
        contract.GoalItems.AddRange(v.Goals.Select(text => Domain.PlanGoal.Of(v.PlanId, text))
            .Select(goal => new V1.PlanGoalItem { GoalId = goal.Id.ToString(), Text = goal.Text }));
        return contract;
    }

    public static V1.Zone ToContract(this Zone z)
    {
        var content = new V1.ZoneContent
        {
            ZoneCode = z.Code,
            Name = z.Name,
            Category = z.Category.ToContract<ZeeCategory, V1.ZeeCategory>(),
            Subcategory = z.Subcategory.ToContract<ZeeSubcategory, V1.ZeeSubcategory>(),
            Notes = z.Notes,
            GeometryGeojson = GeometryJson.Write(z.Geometry),
        };
        content.Uses.AddRange(z.Uses.Select(u => new V1.AllowedUse { Use = u.Use, Rating = u.Rating.ToContract<UseRating, V1.UseRating>() }));
        return new V1.Zone { Id = z.Id.ToString(), Content = content, AreaHa = z.AreaHectares };
    }

    public static V1.ZoneChange ToContract(this ZoneChange c)
    {
        var change = new V1.ZoneChange { ZoneCode = c.Code, Before = c.Before.ToContract(), After = c.After.ToContract(), AreaDeltaHa = c.AreaDeltaHectares };
        change.Changes.AddRange(c.Changes.Select(k => k.ToContract<ZoneChangeKind, V1.ZoneChangeKind>()));
        return change;
    }

    public static PlanHorizon ToDomain(this V1.PlanHorizon horizon) => new(horizon.FromYear, horizon.ToYear);

    /// <summary>The zone's content; its enums and geometry were validated before.</summary>
    public static ZoneContent ToDomain(this V1.ZoneContent zone, Geometry geometry) => new(
        zone.ZoneCode,
        zone.Name,
        zone.Category.ToDomain<V1.ZeeCategory, ZeeCategory>(),
        zone.Subcategory.ToDomain<V1.ZeeSubcategory, ZeeSubcategory>(),
        [.. zone.Uses.Select(u => new AllowedUse(u.Use, u.Rating.ToDomain<V1.UseRating, UseRating>()))],
        zone.Notes,
        geometry);
}
