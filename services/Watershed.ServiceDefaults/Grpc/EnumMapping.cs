using System.Globalization;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>
/// The one enum convention: a domain enum has its proto twin's member names and numbers, without the
/// <c>_UNSPECIFIED</c> zero, so mapping is by number. Validation refuses zero and unknown numbers first;
/// these methods still refuse them rather than let an undefined value into the domain.
/// </summary>
public static class EnumMapping
{
    public static TDomain ToDomain<TProto, TDomain>(this TProto value)
        where TProto : struct, Enum
        where TDomain : struct, Enum
    {
        var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        var mapped = (TDomain)Enum.ToObject(typeof(TDomain), number);
        return number != 0 && Enum.IsDefined(mapped)
            ? mapped
            : throw new ArgumentOutOfRangeException(nameof(value), number, $"{typeof(TProto).Name} {number} has no {typeof(TDomain).Name}.");
    }

    /// <summary>An optional proto enum: zero (unspecified) is null.</summary>
    public static TDomain? ToDomainOrNull<TProto, TDomain>(this TProto value)
        where TProto : struct, Enum
        where TDomain : struct, Enum =>
        Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0 ? null : value.ToDomain<TProto, TDomain>();

    public static TProto ToContract<TDomain, TProto>(this TDomain value)
        where TDomain : struct, Enum
        where TProto : struct, Enum =>
        (TProto)Enum.ToObject(typeof(TProto), Convert.ToInt32(value, CultureInfo.InvariantCulture));
}
