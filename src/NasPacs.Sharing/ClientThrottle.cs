using System.Collections.Concurrent;

namespace NasPacs.Sharing;

/// <summary>
/// Failures per client address (wrong passwords, unknown and malformed tokens), kept in memory: a restart forgets them,
/// which is acceptable because each link also counts its own wrong passwords in the database. A success does not
/// clear a client's failures, so one known password cannot reset a guessing run. Bounded: when full, the
/// oldest entries are dropped.
/// </summary>
internal sealed class ClientThrottle(ShareOptions options, TimeProvider time)
{
    private const int MaxClients = 50_000;
    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must still wait, or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter(string? client)
    {
        if (client is null || !_clients.TryGetValue(client, out var entry))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - entry.LastFailure > options.ClientFailureWindow && now >= entry.LockedUntil)
        {
            _clients.TryRemove(client, out _);
            return null;
        }

        return entry.LockedUntil > now ? entry.LockedUntil - now : null;
    }

    public void Failed(string? client)
    {
        if (client is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_clients.Count >= MaxClients)
        {
            foreach (var old in _clients.OrderBy(c => c.Value.LastFailure).Take(MaxClients / 10))
            {
                _clients.TryRemove(old.Key, out _);
            }
        }

        _clients.AddOrUpdate(
            client,
            _ => Next(0, now),
            (_, e) => Next(now - e.LastFailure > options.ClientFailureWindow ? 0 : e.Failures, now));
    }

    private Entry Next(int failures, DateTimeOffset now)
    {
        var count = failures + 1;
        var wait = Backoff.After(count, options.ClientFailureLimit, options.FailureBackoff, options.MaxFailureBackoff);
        return new Entry(count, now, wait is { } w ? now + w : DateTimeOffset.MinValue);
    }

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
}
