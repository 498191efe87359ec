using Microsoft.JSInterop;

namespace Tracker.Client.Services;

/// <summary>The API key of this browser, kept in local storage under <c>tracker.apiKey</c> (written by the sign-in page).</summary>
public sealed class ApiKeyStore(IJSRuntime js)
{
    /// <summary>The local-storage item.</summary>
    public const string StorageKey = "tracker.apiKey";

    private string? _key;
    private bool _loaded;

    /// <summary>The stored key, or null when this browser has not signed in.</summary>
    public async ValueTask<string?> GetAsync()
    {
        if (!_loaded)
        {
            _key = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
            _loaded = true;
        }
        return string.IsNullOrWhiteSpace(_key) ? null : _key;
    }

    /// <summary>Stores <paramref name="key"/>.</summary>
    public async ValueTask SetAsync(string key)
    {
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, key);
        _key = key;
        _loaded = true;
        Changed?.Invoke();
    }

    /// <summary>Raised when the key changes.</summary>
    public event Action? Changed;
}
