using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Watershed.Testing;

/// <summary>
/// One hostile change to a request: the proto path of the field it changes (snake_case, dotted, [0] for the first
/// list item), what kind of value it puts there, and how to apply it to a copy of the seed request.
/// </summary>
public sealed record HostileMutation(string Field, string Kind, Action<IMessage> Apply);

/// <summary>
/// The hostile values of the corpus, derived from a message's descriptor: for every field (nested messages and the
/// first item of lists included) the values a careless or malicious client can send. Each mutation changes one field
/// of a valid request, so the rest of the request still reaches the rule under test.
/// </summary>
public static class HostileValues
{
    /// <summary>Nested messages deeper than this are not opened (their field is still unset and emptied).</summary>
    public const int MaxDepth = 3;

    /// <summary>Items in the "huge list" case.</summary>
    public const int HugeListItems = 10_000;

    /// <summary>A string of 1 MiB (one byte per character on the wire).</summary>
    public static readonly string OneMegabyte = new('x', 1 << 20);

    /// <summary>Every mutation of <paramref name="seed"/>'s fields, in field-number order, depth first.</summary>
    public static IReadOnlyList<HostileMutation> For(IMessage seed)
    {
        var mutations = new List<HostileMutation>();
        AddMessage(mutations, seed, seed.Descriptor, [], depth: 0);
        return mutations;
    }

    /// <summary>A step from a message to one of its fields; <see cref="First"/> for the first item of a list.</summary>
    private sealed record Step(FieldDescriptor Field, bool First);

    private static void AddMessage(List<HostileMutation> into, IMessage? current, MessageDescriptor descriptor, IReadOnlyList<Step> path, int depth)
    {
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            var value = current is null ? null : field.Accessor.GetValue(current);
            if (field.IsMap)
            {
                Add(into, path, field, "no entries", m => ((IDictionary)field.Accessor.GetValue(m)).Clear());
                AddMapEntries(into, path, field, (IDictionary?)value);
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList?)value;
                if (list is { Count: > 0 })
                {
                    Add(into, path, field, "no items", m => ((IList)field.Accessor.GetValue(m)).Clear());
                }

                Add(into, path, field, $"{HugeListItems} items", m => Fill((IList)field.Accessor.GetValue(m), field));
                var first = list is { Count: > 0 } ? list[0] : null;
                AddValue(into, [.. path, new Step(field, First: true)], field, first, depth);
                continue;
            }

            AddValue(into, [.. path, new Step(field, First: false)], field, value, depth);
        }
    }

    /// <summary>The mutations of one value: a singular field, or a list's first item (<paramref name="at"/> ends with a First step).</summary>
    private static void AddValue(List<HostileMutation> into, IReadOnlyList<Step> at, FieldDescriptor field, object? current, int depth)
    {
        var name = PathOf(at);
        void Set(string kind, object value) => into.Add(new HostileMutation(name, kind, m => Assign(m, at, value)));

        switch (field.FieldType)
        {
            case FieldType.String:
                foreach (var (kind, value) in Strings(field, current as string ?? string.Empty))
                {
                    Set(kind, value);
                }

                break;
            case FieldType.Bytes:
                Set("empty", ByteString.Empty);
                Set("1 MiB", ByteString.CopyFrom(Enumerable.Repeat((byte)0xFF, 1 << 20).ToArray()));
                Set("invalid UTF-8", ByteString.CopyFrom(0xC3, 0x28, 0xFF));
                Set("NUL bytes", ByteString.CopyFrom(0x7B, 0x00, 0x7D));
                break;
            case FieldType.Enum:
                Set("unspecified (0)", Enum.ToObject(field.EnumType.ClrType, 0));
                Set("unknown number 999", Enum.ToObject(field.EnumType.ClrType, 999));
                Set("negative number -1", Enum.ToObject(field.EnumType.ClrType, -1));
                break;
            case FieldType.Double:
                foreach (var (kind, value) in Doubles())
                {
                    Set(kind, value);
                }

                break;
            case FieldType.Float:
                foreach (var (kind, value) in Doubles())
                {
                    Set(kind, double.IsFinite(value) && Math.Abs(value) > float.MaxValue ? (value > 0 ? float.MaxValue : float.MinValue) : (float)value);
                }

                break;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                Set("int32 max", int.MaxValue);
                Set("int32 min", int.MinValue);
                Set("negative -1", -1);
                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                Set("int64 max", long.MaxValue);
                Set("int64 min", long.MinValue);
                Set("negative -1", -1L);
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                Set("uint32 max", uint.MaxValue);
                break;
            case FieldType.UInt64 or FieldType.Fixed64:
                Set("uint64 max", ulong.MaxValue);
                break;
            case FieldType.Bool:
                Set("flipped", !(current as bool? ?? false));
                break;
            case FieldType.Message:
                AddMessageValue(into, at, field, current as IMessage, depth);
                break;
        }
    }

    private static void AddMessageValue(List<HostileMutation> into, IReadOnlyList<Step> at, FieldDescriptor field, IMessage? current, int depth)
    {
        var name = PathOf(at);
        var type = field.MessageType;
        if (current is not null && !at[^1].First)
        {
            into.Add(new HostileMutation(name, "unset", m => Clear(m, at)));
        }

        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                foreach (var (kind, seconds, nanos) in Timestamps(current))
                {
                    into.Add(new HostileMutation(name, kind, m => Assign(m, at, Timestamp(type, seconds, nanos))));
                }

                return;
            case "google.protobuf.Duration":
                foreach (var (kind, seconds, nanos) in Durations())
                {
                    into.Add(new HostileMutation(name, kind, m => Assign(m, at, Timestamp(type, seconds, nanos))));
                }

                return;
        }

        into.Add(new HostileMutation(name, "empty message", m => Assign(m, at, NewMessage(type))));
        if (depth + 1 < MaxDepth && (type.FullName == "google.protobuf.Struct" || !type.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal)))
        {
            AddMessage(into, current, type, at, depth + 1);
        }
    }

    /// <summary>
    /// For a map with string keys whose values are strings or google.protobuf.Value (a Struct's fields, such as a
    /// CloudEvent's extensions): each entry the seed has gets the hostile strings, and a Value entry a huge number and null.
    /// </summary>
    private static void AddMapEntries(List<HostileMutation> into, IReadOnlyList<Step> path, FieldDescriptor field, IDictionary? current)
    {
        var key = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        if (current is null || key.FieldType != FieldType.String)
        {
            return;
        }

        var isValue = valueField.FieldType == FieldType.Message && valueField.MessageType.FullName == "google.protobuf.Value";
        if (valueField.FieldType != FieldType.String && !isValue)
        {
            return;
        }

        IReadOnlyList<Step> at = [.. path, new Step(field, First: false)];
        foreach (var entryKey in current.Keys.Cast<string>().Order(StringComparer.Ordinal).ToList())
        {
            var name = $"{PathOf(at)}[{entryKey}]";
            var text = current[entryKey] switch
            {
                string s => s,
                IMessage v when isValue => v.Descriptor.FindFieldByName("string_value").Accessor.GetValue(v) as string ?? string.Empty,
                _ => string.Empty,
            };
            foreach (var (kind, hostile) in Strings(valueField, text, entryKey))
            {
                object replacement = isValue ? StringValue(valueField.MessageType, hostile) : hostile;
                into.Add(new HostileMutation(name, kind, m => ((IDictionary)field.Accessor.GetValue(ParentOf(m, at)))[entryKey] = replacement));
            }

            if (isValue)
            {
                var number = NewMessage(valueField.MessageType);
                valueField.MessageType.FindFieldByName("number_value").Accessor.SetValue(number, 1e308);
                into.Add(new HostileMutation(name, "a number instead", m => ((IDictionary)field.Accessor.GetValue(ParentOf(m, at)))[entryKey] = number));
            }
        }
    }

    private static IMessage StringValue(MessageDescriptor valueType, string text)
    {
        var value = NewMessage(valueType);
        valueType.FindFieldByName("string_value").Accessor.SetValue(value, text);
        return value;
    }

    private static IEnumerable<(string Kind, string Value)> Strings(FieldDescriptor field, string current, string? name = null)
    {
        name ??= field.Name;
        var isId = name == "id" || name.EndsWith("_id", StringComparison.Ordinal);
        yield return ("empty", string.Empty);
        yield return ("1 MiB", OneMegabyte);
        yield return ("NUL inside", Inside(current, "\0"));
        if (isId)
        {
            yield return ("not a UUID", "not-a-uuid");
            yield return ("nil UUID", Guid.Empty.ToString());
            yield return ("unknown UUID", Guid.CreateVersion7().ToString());
            yield return ("UUID in braces", $"{{{Guid.CreateVersion7()}}}");
            yield break;
        }

        yield return ("blank", "   ");
        yield return ("tab inside", Inside(current, "\t"));
        yield return ("line break inside", Inside(current, "\r\n"));
        yield return ("C0 controls inside", Inside(current, "\u0001\u001b[2J\u0008"));
        yield return ("DEL and C1 controls inside", Inside(current, "\u007f\u0085\u009b"));
        yield return ("right-to-left override", $"\u202e{Or(current)}\u202c");
        yield return ("emoji and combining marks", $"{Or(current)} 👩🏽‍🌾 e\u0301\u200d");
        if (name == "page_token")
        {
            yield return ("forged token", "!!not-base64!!");
            yield return ("token with a negative offset", Base64("o:-1"));
            yield return ("token past int32", Base64("o:99999999999"));
            yield return ("token at int32 max", Base64("o:2147483647"));
        }
    }

    private static string Or(string current) => current.Length == 0 ? "x" : current;

    private static string Inside(string current, string inserted)
    {
        var text = Or(current);
        var middle = text.Length / 2;
        return text[..middle] + inserted + text[middle..];
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static IEnumerable<(string Kind, double Value)> Doubles() =>
    [
        ("NaN", double.NaN),
        ("+Infinity", double.PositiveInfinity),
        ("-Infinity", double.NegativeInfinity),
        ("+1e308", 1e308),
        ("-1e308", -1e308),
        ("negative -1", -1),
        ("smallest subnormal", double.Epsilon),
    ];

    /// <summary>Timestamp's valid range is 0001-01-01T00:00:00Z (-62135596800 s) to 9999-12-31T23:59:59.999999999Z (253402300799 s).</summary>
    private static IEnumerable<(string Kind, long Seconds, int Nanos)> Timestamps(IMessage? current)
    {
        var seconds = current is null ? 1_800_000_000L : (long)current.Descriptor.FindFieldByName("seconds").Accessor.GetValue(current);
        yield return ("year 10000", 253_402_300_800, 0);
        yield return ("before year 1", -62_135_596_801, 0);
        yield return ("int64 max seconds", long.MaxValue, 0);
        yield return ("negative nanos", seconds, -1);
        yield return ("nanos of 1e9", seconds, 1_000_000_000);
        yield return ("0001-01-01T00:00:00Z", -62_135_596_800, 0);
        yield return ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999);
    }

    /// <summary>Duration's valid range is ±315,576,000,000 s, nanos of the seconds' sign.</summary>
    private static IEnumerable<(string Kind, long Seconds, int Nanos)> Durations() =>
    [
        ("beyond +10000 years", 315_576_000_001, 0),
        ("beyond -10000 years", -315_576_000_001, 0),
        ("nanos of the other sign", 1, -1),
        ("nanos of 1e9", 0, 1_000_000_000),
    ];

    private static IMessage Timestamp(MessageDescriptor type, long seconds, int nanos)
    {
        var message = NewMessage(type);
        type.FindFieldByName("seconds").Accessor.SetValue(message, seconds);
        type.FindFieldByName("nanos").Accessor.SetValue(message, nanos);
        return message;
    }

    private static IMessage NewMessage(MessageDescriptor type) => type.Parser.ParseFrom(ByteString.Empty);

    private static void Fill(IList list, FieldDescriptor field)
    {
        var item = list.Count > 0 ? list[0] : DefaultItem(field);
        list.Clear();
        for (var i = 0; i < HugeListItems; i++)
        {
            list.Add(item is IMessage message ? message.Descriptor.Parser.ParseFrom(message.ToByteString()) : item);
        }
    }

    /// <summary>What a list gets as its first item when the seed has none: a present, ordinary value.</summary>
    private static object DefaultItem(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "x",
        FieldType.Bytes => ByteString.CopyFromUtf8("x"),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values.Select(v => v.Number).Where(n => n != 0).DefaultIfEmpty(0).First()),
        FieldType.Message => NewMessage(field.MessageType),
        FieldType.Bool => true,
        FieldType.Double => 1d,
        FieldType.Float => 1f,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 1L,
        FieldType.UInt64 or FieldType.Fixed64 => 1UL,
        FieldType.UInt32 or FieldType.Fixed32 => 1U,
        _ => 1,
    };

    /// <summary>Walks to the parent of the last step, creating messages and first items the seed lacks.</summary>
    private static IMessage ParentOf(IMessage root, IReadOnlyList<Step> at)
    {
        var message = root;
        foreach (var step in at.Take(at.Count - 1))
        {
            message = step.First ? FirstItem(message, step.Field) : Child(message, step.Field);
        }

        return message;
    }

    private static IMessage Child(IMessage parent, FieldDescriptor field)
    {
        if (field.Accessor.GetValue(parent) is IMessage existing)
        {
            return existing;
        }

        var created = NewMessage(field.MessageType);
        field.Accessor.SetValue(parent, created);
        return created;
    }

    private static IMessage FirstItem(IMessage parent, FieldDescriptor field)
    {
        var list = (IList)field.Accessor.GetValue(parent);
        if (list.Count == 0)
        {
            list.Add(DefaultItem(field));
        }

        return (IMessage)list[0]!;
    }

    private static void Assign(IMessage root, IReadOnlyList<Step> at, object value)
    {
        var parent = ParentOf(root, at);
        var last = at[^1];
        if (last.First)
        {
            var list = (IList)last.Field.Accessor.GetValue(parent);
            if (list.Count == 0)
            {
                list.Add(value);
            }
            else
            {
                list[0] = value;
            }
        }
        else
        {
            last.Field.Accessor.SetValue(parent, value);
        }
    }

    private static void Clear(IMessage root, IReadOnlyList<Step> at) => at[^1].Field.Accessor.Clear(ParentOf(root, at));

    private static void Add(List<HostileMutation> into, IReadOnlyList<Step> path, FieldDescriptor field, string kind, Action<IMessage> apply)
    {
        IReadOnlyList<Step> at = [.. path, new Step(field, First: false)];
        into.Add(new HostileMutation(PathOf(at), kind, m => apply(ParentOf(m, at))));
    }

    private static string PathOf(IReadOnlyList<Step> at)
    {
        var text = new StringBuilder();
        foreach (var step in at)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(step.Field.Name);
            if (step.First)
            {
                text.Append("[0]");
            }
        }

        return text.ToString();
    }
}
