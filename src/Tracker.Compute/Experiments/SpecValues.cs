using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>Parameter values with catalog defaults filled in.</summary>
internal sealed class SpecValues(Dictionary<string, JsonElement> given, IEnumerable<ParameterDescriptor> descriptors)
{
    private readonly Dictionary<string, JsonElement> _defaults = descriptors.GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.First().Default);

    private JsonElement Get(string name) => given.TryGetValue(name, out var v) ? v : _defaults[name];

    public double Number(string name) => Get(name).GetDouble();

    public int Integer(string name) => Get(name).GetInt32();

    public bool Boolean(string name) => Get(name).GetBoolean();

    public string Text(string name) => Get(name).GetString()!;

    public double[] Numbers(string name) => [.. Get(name).EnumerateArray().Select(e => e.GetDouble())];
}
