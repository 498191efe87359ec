using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/keys</c>: an admin key's page to list, create and revoke API keys. A new key's secret is shown once; the
/// key this dashboard is signed in with is marked, and revoking it ends the session.</summary>
public sealed partial class Keys : ComponentBase
{
    private KeyIdentityDto? _identity;
    private IReadOnlyList<ApiKeyDto>? _keys;
    private IReadOnlyList<string> _projects = [];
    private Dictionary<string, string[]> _fieldErrors = new(StringComparer.Ordinal);
    private ApiKeyCreatedDto? _created;
    private string? _copyHint;
    private string _name = "";
    private ApiKeyScope _scope = ApiKeyScope.Read;
    private string _project = "";
    private DateOnly? _expires;
    private string? _confirming;
    private bool _signedOut;
    private bool _creating;
    private bool _revoking;
    private string? _createError;
    private string? _listError;

    /// <summary>The dashboard's API.</summary>
    [Inject]
    public required TrackerApi Api { get; init; }

    /// <summary>Navigation (to the sign-in page once the session's own key is revoked).</summary>
    [Inject]
    public required NavigationManager Nav { get; init; }

    /// <summary>JavaScript interop (the copy button).</summary>
    [Inject]
    public required IJSRuntime JS { get; init; }

    /// <summary>The first day a new key may expire on (UTC), as the date input's <c>min</c>.</summary>
    private static string Tomorrow => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string ScopeHint =>
        _scope switch
        {
            ApiKeyScope.Read => "reads only",
            ApiKeyScope.Write => "logs, launches, edits runs",
            _ => "everything, keys too",
        };

    private string ProjectHint =>
        _identity?.Project is { } bound ? $"this session's key is bound to {bound}: so are the keys it creates" : "empty: all projects";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _identity = await Api.IdentityAsync();
        if (_identity is null)
        {
            _signedOut = true;
            return;
        }
        if (_identity.Scope != ApiKeyScope.Admin)
            return;
        _project = _identity.Project ?? "";
        await LoadAsync();
        try
        {
            var client = await Api.ClientAsync();
            _projects = [.. (await client.ListProjectsAsync()).Projects.Select(p => p.Name).Order(StringComparer.Ordinal)];
        }
        catch (TrackerApiException)
        {
            // The project suggestions are a convenience: the field takes any slug.
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            var client = await Api.ClientAsync();
            _keys = (await client.ListKeysAsync()).Keys;
            _listError = null;
        }
        catch (TrackerApiException e)
        {
            _listError = e.Detail ?? e.Message;
        }
    }

    /// <summary>A scope as the API spells it.</summary>
    private static string ScopeText(ApiKeyScope scope) => scope.ToString().ToLowerInvariant();

    private static BadgeTone ScopeTone(ApiKeyScope scope) =>
        scope switch
        {
            ApiKeyScope.Admin => BadgeTone.Warning,
            ApiKeyScope.Write => BadgeTone.Accent,
            _ => BadgeTone.Neutral,
        };

    private static string ProjectText(string? project) => project is null ? "all projects" : $"project {project}";

    /// <summary>How the page names a key: its name, or its id when it has none.</summary>
    private static string Label(ApiKeyDto key) => key.Name is { Length: > 0 } name ? $"key “{name}” ({key.Id})" : $"key {key.Id}";

    /// <summary>The first message about <paramref name="field"/> (the server's problem-details key), or null.</summary>
    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field) is [var first, ..] ? first : null;

    private string? Invalid(string field) => FieldError(field) is not null ? "true" : null;

    private string? DescribedBy(string id, string field) => FieldError(field) is not null ? FormField.ErrorId(id) : null;

    private async Task CreateAsync()
    {
        _createError = null;
        _fieldErrors = new(StringComparer.Ordinal);
        var name = _name.Trim();
        var project = _identity?.Project ?? (_project.Trim() is { Length: > 0 } p ? p : null);
        if (name.Length == 0)
            _fieldErrors["name"] = ["give the key a name, so that it can be told apart when it is revoked"];
        else if (name.Length > 200)
            _fieldErrors["name"] = ["is longer than 200 characters"];
        if (project is not null && !SlugRule.IsValid(project))
            _fieldErrors["project"] = [SlugRule.Description];
        DateTimeOffset? expiresAt = null;
        if (_expires is { } day)
        {
            expiresAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (expiresAt <= DateTimeOffset.UtcNow)
                _fieldErrors["expiresAt"] = ["must lie in the future: pick tomorrow or later"];
        }
        if (_fieldErrors.Count > 0)
        {
            _createError = "Some fields need a look: see the messages beside them.";
            return;
        }
        _creating = true;
        try
        {
            var client = await Api.ClientAsync();
            _created = await client.CreateKeyAsync(new CreateApiKeyRequest(_scope, project, name, expiresAt));
            _copyHint = null;
            _name = "";
            _expires = null;
            _project = _identity?.Project ?? "";
            await LoadAsync();
        }
        catch (TrackerApiException e)
        {
            // A validation problem names its field: the message goes beside it, anything else above the button.
            _fieldErrors = e.Errors is { } errors ? new(errors, StringComparer.Ordinal) : new(StringComparer.Ordinal);
            var unplaced = _fieldErrors.Where(kv => kv.Key is not ("name" or "scope" or "project" or "expiresAt")).ToList();
            _createError =
                unplaced.Count > 0 ? string.Join(" ", unplaced.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")))
                : _fieldErrors.Count > 0 ? "Some fields need a look: see the messages beside them."
                : e.Detail ?? e.Message;
        }
        finally
        {
            _creating = false;
        }
    }

    private async Task CopyAsync()
    {
        await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./tracker.js");
        _copyHint = await module.InvokeAsync<bool>("copyInput", "new-key-secret") ? "copied" : "selected: press Ctrl+C to copy";
    }

    /// <summary>Forgets the new secret: the page cannot show it again.</summary>
    private void Dismiss()
    {
        _created = null;
        _copyHint = null;
    }

    private void AskToRevoke(string id) => _confirming = _confirming == id ? null : id;

    private void CancelRevoke() => _confirming = null;

    private async Task RevokeAsync(ApiKeyDto key)
    {
        _revoking = true;
        try
        {
            var client = await Api.ClientAsync();
            await client.DeleteKeyAsync(key.Id);
            _confirming = null;
            if (key.Id == _identity?.KeyId)
            {
                // The session's key is gone, so is the session: the sign-in page says so.
                Nav.NavigateTo("login", forceLoad: true);
                return;
            }
            await LoadAsync();
        }
        catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Revoked meanwhile (another tab, the API): the list catches up.
            _confirming = null;
            await LoadAsync();
        }
        catch (TrackerApiException e)
        {
            _listError = e.Detail ?? e.Message;
        }
        finally
        {
            _revoking = false;
        }
    }
}
