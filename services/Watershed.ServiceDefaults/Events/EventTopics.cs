using System.Text;
using Google.Protobuf.Reflection;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// Topic names follow from the event's protobuf name, so publisher and subscriber cannot disagree:
/// <c>watershed.&lt;context&gt;.v&lt;n&gt;.&lt;EventName&gt;</c> is published on <c>&lt;context&gt;.&lt;event_name&gt;.v&lt;n&gt;</c>
/// (e.g. <c>watershed.consultation.v1.BallotClosed</c> on <c>consultation.ballot_closed.v1</c>).
/// </summary>
public static class EventTopics
{
    public static string For(MessageDescriptor descriptor)
    {
        var parts = descriptor.FullName.Split('.');
        if (parts.Length != 4 || parts[0] != "watershed" || !parts[2].StartsWith('v'))
        {
            throw new ArgumentException($"{descriptor.FullName} is not an event of a versioned Watershed package.", nameof(descriptor));
        }

        return $"{parts[1]}.{Snake(parts[3])}.{parts[2]}";
    }

    /// <summary>Where a consumer's poison events go (one per app), e.g. <c>landuse.dead_letter.v1</c>.</summary>
    public static string DeadLetterFor(string appId) => $"{appId}.dead_letter.v1";

    private static string Snake(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }
}
