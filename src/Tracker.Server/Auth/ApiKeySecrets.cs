using System.Security.Cryptography;
using System.Text;

namespace Tracker.Server.Auth;

/// <summary>Makes and hashes API keys: <c>trk_&lt;id&gt;_&lt;secret&gt;</c>, stored only as SHA-256.</summary>
internal static class ApiKeySecrets
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static (string Id, string Key) Create()
    {
        var id = RandomNumberGenerator.GetString(Alphabet, 10);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, 40);
        return (id, $"trk_{id}_{secret}");
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
