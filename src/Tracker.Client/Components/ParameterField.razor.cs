using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Components;

/// <summary>One catalog parameter on the launch form, with the control that fits its values: a switch for a boolean, a
/// select for choices, a number box with the catalog's range for numbers, a text box otherwise; a switch, a choice or a
/// number sweeps as chips (one run per value), a list (a text box) by lists separated with ';'.</summary>
public sealed partial class ParameterField : ComponentBase
{
    /// <summary>The parameter.</summary>
    [Parameter, EditorRequired]
    public required ParameterDescriptor Parameter { get; set; }

    /// <summary>The control's id is <c>{IdPrefix}-{name}</c>.</summary>
    [Parameter, EditorRequired]
    public required string IdPrefix { get; set; }

    /// <summary>The form's values as text, by parameter name (read and written).</summary>
    [Parameter, EditorRequired]
    public required Dictionary<string, string> Values { get; set; }

    /// <summary>The sweeps' values by parameter name (read and written); null where a field cannot sweep.</summary>
    [Parameter]
    public Dictionary<string, List<string>>? Sweeps { get; set; }

    /// <summary>The server's (or the form's) message about this field.</summary>
    [Parameter]
    public string? Error { get; set; }

    /// <summary>Raised after the value or the sweep changed.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private string Id => $"{IdPrefix}-{Parameter.Name}";

    private string Value => Values.GetValueOrDefault(Parameter.Name) ?? "";

    private string? Invalid => Error is null ? null : "true";

    private string? DescribedBy => Error is null ? null : FormField.ErrorId(Id);

    private IReadOnlyList<string> SweepValues => Sweeps?.GetValueOrDefault(Parameter.Name) ?? [];

    private ParameterKind Kind => KindOf(Parameter);

    /// <summary>The range beside a number; how a list sweeps where it can.</summary>
    private string? Hint =>
        Kind == ParameterKind.Text && Sweeps is not null
            ? $"{LaunchSpecBuilder.RangeText(Parameter) ?? "a value"}; no chips: to sweep, separate lists with ';'"
            : LaunchSpecBuilder.RangeText(Parameter);

    /// <summary>The control for <paramref name="p"/>.</summary>
    public static ParameterKind KindOf(ParameterDescriptor p) =>
        p.Type switch
        {
            "boolean" => ParameterKind.Switch,
            "number" or "integer" => ParameterKind.Number,
            "string" when p.Choices is { Count: > 0 } => ParameterKind.Choice,
            _ => ParameterKind.Text,
        };

    private static string? Bound(double? b) => b?.ToString("R", CultureInfo.InvariantCulture);

    private Task SetSwitch(ChangeEventArgs e)
    {
        Values[Parameter.Name] = e.Value is true ? "true" : "false";
        return Changed.InvokeAsync();
    }

    private Task SetText(ChangeEventArgs e)
    {
        Values[Parameter.Name] = e.Value?.ToString() ?? "";
        return Changed.InvokeAsync();
    }

    private Task AddToSweep()
    {
        if (Sweeps is null || string.IsNullOrWhiteSpace(Value))
            return Task.CompletedTask;
        var list = Sweeps.TryGetValue(Parameter.Name, out var l) ? l : Sweeps[Parameter.Name] = [];
        var value = Value.Trim();
        if (!list.Contains(value, StringComparer.Ordinal))
            list.Add(value);
        return Changed.InvokeAsync();
    }

    private Task RemoveFromSweep(string value)
    {
        if (Sweeps?.GetValueOrDefault(Parameter.Name) is { } list)
        {
            list.Remove(value);
            if (list.Count == 0)
                Sweeps.Remove(Parameter.Name);
        }
        return Changed.InvokeAsync();
    }
}
