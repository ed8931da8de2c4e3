using System.Security.Cryptography;
using System.Text;

namespace Watershed.LandUse.Domain;

/// <summary>
/// A goal of a plan version with the id a plan target in indicators points at. The id is derived from the plan
/// and the goal's text (SHA-256 of the plan id's 16 bytes followed by the trimmed text in UTF-8, the first 16
/// bytes as a UUID of version 8), so a goal keeps its id across versions while its text is unchanged, and a
/// reworded goal is a new goal.
/// </summary>
public sealed record PlanGoal(Guid Id, string Text)
{
    public static PlanGoal Of(Guid planId, string text)
    {
        var trimmed = text.Trim();
        var input = new byte[16 + Encoding.UTF8.GetByteCount(trimmed)];
        planId.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _);
        Encoding.UTF8.GetBytes(trimmed, input.AsSpan(16));
        var hash = SHA256.HashData(input).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new PlanGoal(new Guid(hash, bigEndian: true), trimmed);
    }
}
