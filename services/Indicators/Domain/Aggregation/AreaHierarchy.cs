namespace Watershed.Indicators.Domain.Aggregation;

/// <summary>An area and the area it lies in (null for the top, e.g. the watershed).</summary>
public sealed record AreaNode(string AreaId, string? ParentId);

/// <summary>
/// Areas nested community → district → watershed. A forest: several tops are allowed. Built once from
/// the land-use service's areas; rejects unknown parents, duplicates and cycles.
/// </summary>
public sealed class AreaHierarchy
{
    private readonly Dictionary<string, string?> _parents;
    private readonly Dictionary<string, List<string>> _children;

    public AreaHierarchy(IEnumerable<AreaNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!_parents.TryAdd(node.AreaId, node.ParentId))
            {
                throw new ArgumentException($"Area {node.AreaId} is listed twice.", nameof(nodes));
            }
        }

        _children = _parents.Keys.ToDictionary(a => a, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (area, parent) in _parents)
        {
            if (parent is null)
            {
                continue;
            }

            if (!_children.TryGetValue(parent, out var siblings))
            {
                throw new ArgumentException($"Area {area} lies in {parent}, which is not listed.", nameof(nodes));
            }

            siblings.Add(area);
        }

        foreach (var area in _parents.Keys)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = (string?)area; current is not null; current = _parents[current])
            {
                if (!seen.Add(current))
                {
                    throw new ArgumentException($"Area {area} lies inside itself.", nameof(nodes));
                }
            }
        }
    }

    public IEnumerable<string> Areas => _parents.Keys;

    public bool Contains(string areaId) => _parents.ContainsKey(areaId);

    public string? ParentOf(string areaId) => _parents[areaId];

    /// <summary>The area and every area inside it, at any depth.</summary>
    public IReadOnlySet<string> SelfAndDescendants(string areaId)
    {
        if (!_parents.ContainsKey(areaId))
        {
            throw new KeyNotFoundException($"Area {areaId} is not in the hierarchy.");
        }

        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([areaId]);
        while (pending.TryPop(out var current))
        {
            result.Add(current);
            foreach (var child in _children[current])
            {
                pending.Push(child);
            }
        }

        return result;
    }
}
