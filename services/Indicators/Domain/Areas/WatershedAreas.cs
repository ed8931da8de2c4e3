using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Areas;

/// <summary>Every area of one watershed: how they nest, and how a survey form names them (by code or by id).</summary>
public sealed class WatershedAreas
{
    // Codes are lower case; a form may record "Manzanares" for "manzanares", and a spreadsheet may upper-case an id.
    private readonly Dictionary<string, Guid> _byCodeOrId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, Area> _byId;

    public WatershedAreas(IEnumerable<Area> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        _byId = areas.ToDictionary(a => a.Id);
        foreach (var area in _byId.Values)
        {
            _byCodeOrId[area.Code] = area.Id;
            _byCodeOrId[area.Id.ToString()] = area.Id;
        }

        Hierarchy = new AreaHierarchy(_byId.Values.Select(a => new AreaNode(a.Id.ToString(), a.ParentId?.ToString())));
    }

    public AreaHierarchy Hierarchy { get; }

    /// <summary>Top down (watershed, districts, communities), then by name: the order lists and exports show areas in.</summary>
    public IReadOnlyList<Area> TopDown => [.. _byId.Values.OrderBy(a => a.Level).ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Id)];

    public bool Contains(Guid id) => _byId.ContainsKey(id);

    public string CodeOf(Guid id) => _byId[id].Code;

    public Area Get(Guid id) => _byId[id];

    /// <summary>The area a form names by its code (as the form records it, in any case) or by its id; null when the watershed has none.</summary>
    public Guid? Resolve(string codeOrId) => _byCodeOrId.TryGetValue(codeOrId, out var id) ? id : null;

    /// <summary>The area and every area inside it, at any depth.</summary>
    public IReadOnlyList<Guid> SelfAndDescendants(Guid id) => [.. Hierarchy.SelfAndDescendants(id.ToString()).Select(Guid.Parse)];

    /// <summary>The areas whose figures include households of <paramref name="areaIds"/>: those areas and every area they lie in.</summary>
    public IReadOnlySet<Guid> SelfAndAncestors(IEnumerable<Guid> areaIds)
    {
        var result = new HashSet<Guid>();
        foreach (var id in areaIds)
        {
            // Stops at the top, or at an area already walked up from (its ancestors are in already).
            Guid? area = id;
            while (area is { } current && result.Add(current))
            {
                area = _byId[current].ParentId;
            }
        }

        return result;
    }
}
