using Tracker.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTrackerServer();

var app = builder.Build();
app.MapTracker();
await app.InitializeTrackerAsync();
await app.RunAsync();

/// <summary>The server's entry point (public for <c>WebApplicationFactory</c>).</summary>
public partial class Program;
