using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tracker.Server.Tests.Api;

/// <summary>A valid request to start from: method, path, query and JSON body.</summary>
internal sealed record FuzzTemplate(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? Body = null);

/// <summary>Mutates valid requests with a seeded <see cref="Random"/>: query values, JSON bodies (structure-aware and
/// byte-level), path segments, headers and methods, one to three mutations per request.</summary>
internal sealed class FuzzMutator(Random random, string apiKey)
{
    private static readonly string[] Words =
    [
        "",
        " ",
        "x",
        "-1",
        "0",
        "1.5",
        "1e309",
        "-9223372036854775809",
        "9223372036854775808",
        "NaN",
        "Infinity",
        "null",
        "true",
        "[]",
        "{}",
        "%",
        "%00",
        "\0",
        "💥",
        "../../etc/passwd",
        "' OR '1'='1",
        "<script>",
        "a,b",
        "running",
        "2026-13-45T99:99:99Z",
        "2026-01-01T00:00:00Z",
        "desc",
        "createdAt",
        "loss",
        "metrics.loss < 1",
        new string('a', 300),
        new string('9', 5000),
    ];

    private static readonly string[] JsonLiterals =
    [
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1e308",
        "-1e308",
        "1.5",
        "9223372036854775807",
        "18446744073709551616",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "[[[[]]]]",
        "\"NaN\"",
        "\"Infinity\"",
        "[null]",
        "{\"key\":null}",
        "\"💥\"",
        "\"a,b\"",
        "\"" + new string('z', 10_000) + "\"",
        new string('[', 100) + new string(']', 100),
    ];

    private static readonly string[] Methods = ["GET", "POST", "PATCH", "PUT"];

    public HttpRequestMessage Mutate(FuzzTemplate template)
    {
        var method = template.Method;
        var segments = template.Path.Split('/').ToList();
        var query = new Dictionary<string, string>(template.Query);
        var body = template.Body;
        var contentType = body is null ? null : "application/json";
        AuthenticationHeaderValue? auth = new("Bearer", apiKey);
        var extraHeaders = new List<(string, string)>();

        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(12))
            {
                case 0 or 1 or 2:
                    var name =
                        query.Count > 0 && random.Next(3) > 0
                            ? query.Keys.ElementAt(random.Next(query.Count))
                            : Pick(["limit", "maxPoints", "fromStep", "toStep", "cursor", "max_results", "run_id", "x"]);
                    query[name] = Pick(Words);
                    break;
                case 3 or 4 or 5:
                    body = MutateBody(body ?? "{}");
                    contentType ??= "application/json";
                    break;
                case 6 or 7:
                    MutatePath(segments);
                    break;
                case 8:
                    auth = random.Next(4) switch
                    {
                        0 => null,
                        1 => new AuthenticationHeaderValue("Bearer", "trk_" + Guid.NewGuid().ToString("N")),
                        2 => new AuthenticationHeaderValue(
                            "Basic",
                            Pick(["!!notbase64", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Pick(Words)))])
                        ),
                        _ => new AuthenticationHeaderValue("Bearer", Pick(Words.Where(w => w.Length > 0 && w.All(c => c is > ' ' and < '\u007f')).ToArray())),
                    };
                    break;
                case 9:
                    contentType = Pick([
                        "text/plain",
                        "application/json; charset=utf-16",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data",
                        "application/json",
                    ]);
                    body ??= Pick(JsonLiterals);
                    break;
                case 10:
                    extraHeaders.Add(
                        (
                            Pick(["X-Forwarded-For", "Accept", "Accept-Encoding", "If-None-Match", "Range", "X-Custom"]),
                            Pick(["*/*", "gzip, br", "bytes=5-1", "\"etag\"", "1.2.3.4", new string('h', 4000)])
                        )
                    );
                    break;
                default:
                    method = Pick(Methods);
                    break;
            }
        }

        var url = new StringBuilder(string.Join('/', segments));
        var first = true;
        foreach (var (k, v) in query)
        {
            url.Append(first ? '?' : '&')
                .Append(Uri.EscapeDataString(k))
                .Append('=')
                .Append(random.Next(10) == 0 && v.All(c => c is > ' ' and < '\u007f' and not '#') ? v : Uri.EscapeDataString(v));
            first = false;
        }
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url.ToString(), UriKind.Relative));
        request.Headers.Authorization = auth;
        foreach (var (k, v) in extraHeaders)
            request.Headers.TryAddWithoutValidation(k, v);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return request;
    }

    private string MutateBody(string body)
    {
        switch (random.Next(6))
        {
            case 0:
                return body.Length == 0 ? body : body[..random.Next(body.Length)];
            case 1:
                var at = random.Next(body.Length + 1);
                return body[..at] + Pick(["\"", "{", "]", ",", "\\", "\0", "💥", "\u00ff"]) + body[at..];
            case 2:
                return Pick(JsonLiterals);
            default:
                JsonNode? root;
                try
                {
                    root = JsonNode.Parse(body);
                }
                catch (System.Text.Json.JsonException)
                {
                    return body + Pick(["}", "]", ","]);
                }
                if (root is null)
                    return Pick(JsonLiterals);
                var nodes = new List<JsonNode>();
                Collect(root, nodes);
                var target = nodes[random.Next(nodes.Count)];
                var literal = Pick(JsonLiterals);
                JsonNode? replacement;
                try
                {
                    replacement = JsonNode.Parse(literal);
                }
                catch (System.Text.Json.JsonException)
                {
                    return body.Length > 1 ? body[..^1] + "," + literal + body[^1..] : literal;
                } // deeper than the node API reads
                if (target.Parent is JsonObject parent)
                {
                    var key = parent.First(p => ReferenceEquals(p.Value, target)).Key;
                    if (random.Next(4) == 0)
                        parent.Remove(key);
                    else
                        parent[key] = replacement;
                }
                else if (target.Parent is JsonArray array)
                {
                    array[array.IndexOf(target)] = replacement;
                }
                else if (target is JsonObject obj)
                {
                    obj[Pick(["extra", "seq", "points", "name", "run_id", "key", "value", "step", "tags", "config"])] = replacement;
                }
                else
                {
                    return replacement?.ToJsonString() ?? "null";
                }
                return root.ToJsonString();
        }
    }

    private void MutatePath(List<string> segments)
    {
        var i = random.Next(segments.Count);
        switch (random.Next(5))
        {
            case 0:
                segments[i] = Uri.EscapeDataString(Pick(Words));
                break;
            case 1:
                segments.Insert(i, Uri.EscapeDataString(Pick(Words)));
                break;
            case 2:
                if (segments.Count > 1)
                    segments.RemoveAt(i);
                break;
            case 3:
                segments[i] = segments[i].ToUpperInvariant();
                break;
            default:
                segments.Add(Pick(["..", "%2e%2e", "", "%2f", "metrics", "x.csv", "9999999999999999999999"]));
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject o)
            foreach (var (_, v) in o)
            {
                if (v is not null)
                    Collect(v, nodes);
            }
        if (node is JsonArray a)
            foreach (var v in a)
            {
                if (v is not null)
                    Collect(v, nodes);
            }
    }

    private string Pick(string[] options) => options[random.Next(options.Length)];

    /// <summary>A fresh sequence number for an ingest template.</summary>
    public string Seq() => random.NextInt64(1, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture);
}
