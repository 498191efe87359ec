using Microsoft.AspNetCore.Components;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;

namespace Tracker.Server.Components.Pages;

/// <summary>The sign-in page, rendered on the server (no WebAssembly): the printed link <c>/login?key=…</c> or the form
/// exchanges an API key for the session cookie, then redirects here, so the key leaves the address bar and history.</summary>
public sealed partial class Login
{
    private bool _rejected;

    /// <summary>The request (static server rendering).</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    /// <summary>Redirects after a sign-in.</summary>
    [Inject]
    public required NavigationManager Nav { get; init; }

    /// <summary>The key of the printed sign-in link.</summary>
    [SupplyParameterFromQuery(Name = "key")]
    public string? KeyFromLink { get; set; }

    /// <summary>Set by sign-out's redirect.</summary>
    [SupplyParameterFromQuery(Name = "signedOut")]
    public bool SignedOut { get; set; }

    /// <summary>The key typed into the form.</summary>
    [SupplyParameterFromForm(FormName = "sign-in")]
    public string? Key { get; set; }

    private bool SignedIn => HttpContext?.User.Identity?.IsAuthenticated == true;

    private string ScopeWords
    {
        get
        {
            var user = HttpContext!.User;
            var scope = user.KeyScope() switch
            {
                ApiKeyScope.Admin => "an admin",
                ApiKeyScope.Write => "a write",
                _ => "a read-only",
            };
            return user.BoundProject() is { } project ? $"{scope} key of project '{project}'" : $"{scope} key (every project)";
        }
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (HttpContext is { } context && HttpMethods.IsGet(context.Request.Method) && !string.IsNullOrWhiteSpace(KeyFromLink))
        {
            await SignInWithAsync(context, KeyFromLink);
        }
    }

    private Task SignInAsync() => HttpContext is { } context ? SignInWithAsync(context, Key) : Task.CompletedTask;

    private async Task SignInWithAsync(HttpContext context, string? key)
    {
        if (!string.IsNullOrWhiteSpace(key) && await BrowserSession.SignInAsync(context, key))
        {
            Nav.NavigateTo("login");
            return;
        }
        _rejected = true;
    }
}
