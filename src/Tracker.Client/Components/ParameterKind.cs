namespace Tracker.Client.Components;

/// <summary>Which control a catalog parameter gets on the launch form.</summary>
public enum ParameterKind
{
    /// <summary>A free text box (lists such as <c>betas</c>, unconstrained strings); no chips: lists separated by ';' sweep.</summary>
    Text,

    /// <summary>A boolean: a switch; both values can be chips of a sweep.</summary>
    Switch,

    /// <summary>One of a few strings: a select; its choices can be chips of a sweep.</summary>
    Choice,

    /// <summary>A number or an integer with its range; several values make a sweep, shown as chips.</summary>
    Number,
}
