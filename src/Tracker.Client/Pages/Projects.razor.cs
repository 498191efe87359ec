using Microsoft.AspNetCore.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/</c>: every project the key sees, with run counts and the latest activity.</summary>
public sealed partial class Projects : ComponentBase
{
    private IReadOnlyList<ProjectDto>? _projects;
    private bool _signedOut;
    private string? _error;

    [Inject]
    public required TrackerApi Api { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (!await Api.IsSignedInAsync())
        {
            _signedOut = true;
            return;
        }
        try
        {
            var client = await Api.ClientAsync();
            _projects = [.. (await client.ListProjectsAsync()).Projects.OrderByDescending(p => p.LastActivityAt ?? p.CreatedAt)];
        }
        catch (TrackerApiException e)
        {
            _error = e.Message;
        }
    }
}
