using Xunit;

namespace Watershed.Testing;

/// <summary>Checks the house enum convention: a domain enum is its proto enum's twin, by name and number, without the zero.</summary>
public static class EnumTwins
{
    public static void AssertTwins<TProto, TDomain>()
        where TProto : struct, Enum
        where TDomain : struct, Enum
    {
        var proto = Enum.GetValues<TProto>().Where(v => Convert.ToInt32(v, null) != 0)
            .Select(v => $"{v}={Convert.ToInt32(v, null)}").Order(StringComparer.Ordinal).ToList();
        var domain = Enum.GetValues<TDomain>()
            .Select(v => $"{v}={Convert.ToInt32(v, null)}").Order(StringComparer.Ordinal).ToList();
        Assert.True(proto.SequenceEqual(domain),
            $"{typeof(TProto).FullName} [{string.Join(", ", proto)}] and {typeof(TDomain).FullName} [{string.Join(", ", domain)}] differ.");
    }
}
