using Watershed.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebApp();

var app = builder.Build();
app.UseWebApp();
await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
