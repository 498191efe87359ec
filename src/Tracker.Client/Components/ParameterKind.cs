namespace Tracker.Client.Components;

/// <summary>Which control a catalog parameter gets on the launch form.</summary>
public enum ParameterKind
{
    /// <summary>A free text box (lists such as <c>betas</c>, unconstrained strings).</summary>
    Text,

    /// <summary>A boolean: a switch.</summary>
    Switch,

    /// <summary>One of a few strings: a select.</summary>
    Choice,

    /// <summary>A number or an integer with its range; several values make a sweep, shown as chips.</summary>
    Number,
}
