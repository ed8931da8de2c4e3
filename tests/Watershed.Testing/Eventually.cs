namespace Watershed.Testing;

/// <summary>
/// Waits for something another process or a background worker will make true, checking every 50 ms, and fails
/// with the given explanation after a generous bound (20 s) rather than asserting how fast it happened.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not within {(within ?? TimeSpan.FromSeconds(20)).TotalSeconds:0} s: {because}");
            }

            await Task.Delay(50);
        }
    }
}
