using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Tracker.Client.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
var baseAddress = new Uri(builder.HostEnvironment.BaseAddress);
builder.Services.AddScoped<ApiKeyStore>();
builder.Services.AddScoped(sp => new TrackerApi(sp.GetRequiredService<ApiKeyStore>(), baseAddress));
builder.Services.AddScoped<LiveConnection>();
builder.Services.AddScoped<Tracker.Client.Charts.ChartUpdatePacer>();
await builder.Build().RunAsync();
