using Tracker.Server.Components;

namespace Tracker.Server.Tests.Api;

/// <summary>The loopback address a server circuit's API client and hub connection use, from the addresses Kestrel reports.</summary>
public sealed class ServerDashboardEndpointTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5040", "http://127.0.0.1:5040/")]
    [InlineData("http://localhost:5040", "http://localhost:5040/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://+:80", "http://127.0.0.1/")]
    [InlineData("http://*:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://[::]:8443", "https://localhost:8443/")]
    public void A_listening_address_becomes_a_loopback_url(string address, string expected) =>
        Assert.Equal(new Uri(expected), ServerDashboardEndpoint.Loopback([address]));

    [Fact]
    public void Plain_http_is_preferred_and_no_address_gives_none()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), ServerDashboardEndpoint.Loopback(["https://0.0.0.0:8443", "http://0.0.0.0:8080"]));
        Assert.Null(ServerDashboardEndpoint.Loopback([]));
        Assert.Null(ServerDashboardEndpoint.Loopback(null));
    }
}
