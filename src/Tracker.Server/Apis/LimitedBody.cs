using System.Buffers;

namespace Tracker.Server.Apis;

/// <summary>Reads a request body into a pooled buffer without letting it grow past a limit.</summary>
internal static class LimitedBody
{
    /// <summary>The body and its length, or a null buffer when it is longer than <paramref name="maxBytes"/>.
    /// The caller returns the buffer to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static async Task<(byte[]? Buffer, int Length)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 65_536, 1, maxBytes) + 1);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            length += read;
            if (length > maxBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0);
            }
        }
        return (buffer, length);
    }
}
