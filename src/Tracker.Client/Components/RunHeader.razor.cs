using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Components;

/// <summary>A run's header: state, name, group, tags, notes (editable with a write key) and config.</summary>
public sealed partial class RunHeader : ComponentBase
{
    private List<(string Key, string Value)> _config = [];
    private bool _editing;
    private string _name = "";
    private string _tags = "";
    private string _notes = "";

    /// <summary>The run.</summary>
    [Parameter, EditorRequired]
    public required RunDto Run { get; set; }

    /// <summary>Whether edit controls show.</summary>
    [Parameter]
    public bool CanWrite { get; set; }

    /// <summary>Called with the edits to save.</summary>
    [Parameter]
    public EventCallback<UpdateRunRequest> OnSave { get; set; }

    protected override void OnParametersSet() => _config = Flatten(Run.Config);

    /// <summary>A config object as dotted keys and JSON values.</summary>
    public static List<(string Key, string Value)> Flatten(JsonElement? config)
    {
        var list = new List<(string, string)>();
        if (config is { ValueKind: JsonValueKind.Object } c)
            Walk(c, "", list);
        return list;
    }

    private static void Walk(JsonElement e, string prefix, List<(string, string)> into)
    {
        foreach (var p in e.EnumerateObject())
        {
            var key = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Object)
                Walk(p.Value, key, into);
            else
                into.Add((key, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
        }
    }

    private void StartEdit()
    {
        (_name, _tags, _notes) = (Run.Name, string.Join(", ", Run.Tags), Run.Notes ?? "");
        _editing = true;
    }

    private async Task SaveAsync()
    {
        var tags = _tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        await OnSave.InvokeAsync(new UpdateRunRequest(Name: _name.Trim(), Tags: tags, Notes: _notes));
        _editing = false;
    }
}
