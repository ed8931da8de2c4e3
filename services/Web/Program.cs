using System.Globalization;
using Watershed.Web;

// One command besides serving: write a new key into the key ring every replica reads (README, "The web app's key ring").
//   dotnet Watershed.Web.dll new-key <directory> [days]
if (args is ["new-key", var directory, ..])
{
    var days = WebKeyRing.DefaultDays;
    if (args.Length > 3 || (args.Length == 3 && (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 7 || days > 3650)))
    {
        await Console.Error.WriteLineAsync("usage: Watershed.Web new-key <directory> [days: 7-3650, default 180]");
        return 2;
    }

    Console.WriteLine(WebKeyRing.CreateKey(directory, days));
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWebApp("web");

var app = builder.Build();
app.UseWebApp();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
