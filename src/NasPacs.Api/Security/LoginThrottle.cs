using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>
/// Back-off per user name: after <see cref="SecurityOptions.FailuresBeforeBackoff"/> failed sign-ins in a row, each
/// further attempt must wait 30 s, then 1 min, 2 min … up to <see cref="SecurityOptions.MaxBackoff"/>, counted from
/// the last failure. A success clears it. (The per-address limit is the <c>login</c> rate-limit policy.) Kept in memory:
/// a restart forgets it, which the per-address limit still covers.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time, IOptions<SecurityOptions> options)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(30);
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Failures> _byUser = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="user"/> must still wait, or <see langword="null"/> when an attempt may be made now.</summary>
    public TimeSpan? RetryAfter(string user)
    {
        if (!_byUser.TryGetValue(user, out var failures) || failures.Count < options.Value.FailuresBeforeBackoff)
        {
            return null;
        }

        var until = failures.Last + Wait(failures.Count);
        var now = time.GetUtcNow();
        return until > now ? until - now : null;
    }

    public void Failed(string user)
    {
        if (_byUser.Count >= MaxTracked)
        {
            Sweep();
        }

        var now = time.GetUtcNow();
        _byUser.AddOrUpdate(user, _ => new Failures(1, now), (_, f) => new Failures(f.Count + 1, now));
    }

    public void Succeeded(string user) => _byUser.TryRemove(user, out _);

    private TimeSpan Wait(int count)
    {
        var doublings = Math.Min(count - options.Value.FailuresBeforeBackoff, 20);
        var wait = FirstWait * Math.Pow(2, doublings);
        return wait < options.Value.MaxBackoff ? wait : options.Value.MaxBackoff;
    }

    private void Sweep()
    {
        var horizon = time.GetUtcNow() - options.Value.MaxBackoff;
        foreach (var (user, failures) in _byUser)
        {
            if (failures.Last < horizon)
            {
                _byUser.TryRemove(user, out _);
            }
        }
    }

    private sealed record Failures(int Count, DateTimeOffset Last);
}
