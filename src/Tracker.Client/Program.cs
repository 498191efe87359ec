using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Tracker.Client.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
var baseAddress = new Uri(builder.HostEnvironment.BaseAddress);
builder.Services.AddSingleton(new DashboardEndpoint(baseAddress));
builder.Services.AddScoped<TrackerApi>();
builder.Services.AddScoped<LiveConnection>();
builder.Services.AddScoped<Tracker.Client.Charts.ChartUpdatePacer>();
builder.Services.AddSingleton<Tracker.Client.Pages.IRunPageSnapshots, Tracker.Client.Pages.NoRunPageSnapshots>();
await builder.Build().RunAsync();
