using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Connection;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>
/// <see cref="IFileSource"/> over NasPacs's own SMB 2/3 client: folder listings compounded with the open,
/// header reads as one CREATE + READ + CLOSE round trip, many operations in flight over a small pool of
/// connections, and operations retried on a fresh connection after a drop.
/// </summary>
internal sealed class SmbFileSource : IFileSource
{
    private readonly SmbOptions _options;
    private readonly TimeProvider _time;
    private readonly SmbConnectionPool _pool;
    private readonly AdaptiveLimiter _inFlight;
    private readonly string _root;

    public SmbFileSource(SmbOptions options, TimeProvider time)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new FileSourceException(ErrorCategory.Configuration, ErrorCodes.RootUnreachable, string.Join(" ", problems));
        }

        _options = options;
        _time = time;
        _pool = new SmbConnectionPool(options, time);
        _inFlight = new AdaptiveLimiter(options.MinRequestsInFlight, options.MaxRequestsInFlight);
        _root = string.Join('\\', options.RootPath.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    public string DisplayName => _options.DisplayName;

    internal SmbConnectionPool Pool => _pool;

    private readonly ActivityCounter _listing = new();
    private readonly ActivityCounter _prefixReads = new();

    /// <summary>Counts and rates for <see cref="SmbConnectionMetrics"/>.</summary>
    internal SmbConnectionMetrics Metrics()
    {
        var info = SessionInfo;
        return new SmbConnectionMetrics(
            info is null ? string.Empty : DialectName(info.Dialect),
            info is { Signing: true } ? SigningName(info.SigningAlgorithm) : null,
            info is { Encryption: true } ? info.Cipher.ToString() : null,
            _pool.Current?.RoundTrip ?? TimeSpan.Zero,
            _pool.ConnectionsOpened,
            _listing.Count,
            _listing.PerSecond(_time),
            _prefixReads.Count,
            _prefixReads.PerSecond(_time),
            _inFlight.Limit);
    }

    internal void CountListed(int files) => _listing.Add(files, _time);

    private static string DialectName(SmbDialect dialect) => dialect switch
    {
        SmbDialect.Smb202 => "2.0.2",
        SmbDialect.Smb210 => "2.1",
        SmbDialect.Smb300 => "3.0",
        SmbDialect.Smb302 => "3.0.2",
        _ => "3.1.1",
    };

    private static string SigningName(SmbSigningAlgorithm algorithm) => algorithm switch
    {
        SmbSigningAlgorithm.HmacSha256 => "HMAC-SHA256",
        SmbSigningAlgorithm.AesCmac => "AES-CMAC",
        _ => "AES-GMAC",
    };

    /// <summary>What the current connection negotiated; <see langword="null"/> before the first request.</summary>
    internal SmbSessionInfo? SessionInfo => _pool.Current is { } c
        ? new SmbSessionInfo(c.Dialect, c.IsSigning, c.SigningAlgorithm, c.IsEncrypting, c.Cipher, c.MaxReadSize, _pool.ConnectionsOpened)
        : null;

    public async IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = Channel.CreateBounded<FileEntry>(new BoundedChannelOptions(4096) { SingleReader = true });
        var walk = new SmbTreeWalk(this, options, output.Writer, _time);
        var walking = Task.Run(() => walk.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            await foreach (var entry in output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }

            await walking.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await walking.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var path = ToSmbPath(relativePath);
        if (destination.IsEmpty)
        {
            return 0;
        }

        var (read, size, _) = await RunAsync(
            (path, destination),
            static (c, s, ct) => ShareOperations.ReadPrefixAsync(c, s.path, s.destination, ct),
            relativePath,
            cancellationToken,
            static (r, s) => s.destination.Length <= 65536 ? r.RoundTrip : null).ConfigureAwait(false);
        _prefixReads.Add(1, _time);
        if (read == destination.Length || read >= size)
        {
            return read;
        }

        // The destination is larger than one READ may be: stream the rest.
        var stream = await OpenReadAsync(relativePath, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var path = ToSmbPath(relativePath);
        return await RunAsync(
            (path, relativePath),
            static async (c, s, ct) =>
            {
                var created = await ShareOperations.OpenAsync(c, s.path, ct).ConfigureAwait(false);
                return (Stream)new SmbReadStream(c, created.FileId, created.EndOfFile, s.relativePath);
            },
            relativePath,
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var path = ToSmbPath(relativePath);
        var (result, _) = await RunAsync(path, static (c, p, ct) => ShareOperations.StatAsync(c, p, ct), relativePath, cancellationToken, static (r, _) => r.RoundTrip).ConfigureAwait(false);
        return result is { IsDirectory: false } file
            ? new FileEntry(relativePath, file.EndOfFile, Wire.FileTime(file.LastWriteTime))
            : null;
    }

    /// <summary>Lists one folder (relative, <c>/</c> separators) with retries.</summary>
    internal Task<List<DirectoryEntry>> ListAsync(string relativeFolder, CancellationToken cancellationToken)
    {
        var path = ToSmbPath(relativeFolder);
        return RunAsync(path, static (c, p, ct) => ShareOperations.ListAsync(c, p, ct), relativeFolder, cancellationToken);
    }

    /// <summary>
    /// Runs one operation within the in-flight limit on a pooled connection; after a dropped connection it
    /// tries again on a fresh one (reads are idempotent). Every failure leaves as a classified exception.
    /// </summary>
    /// <remarks>
    /// The operation takes its arguments as <paramref name="state"/>, so that a static lambda allocates no closure per call.
    /// Small operations (prefix reads up to 64 KiB, stats) feed their round trip (<paramref name="roundTripOf"/>) to the
    /// adaptive in-flight limit; listings and large reads would only add noise. It is the round trip the connection
    /// measured, from queueing the compound to reading its response, not the whole operation: waits for a pooled
    /// connection or for credits, and the thread-pool hop back to the caller, grow with the number of callers on a
    /// busy client and read as a server queueing, which held the limit at its floor (issue #7).
    /// </remarks>
    private async Task<T> RunAsync<TState, T>(TState state, Func<SmbConnection, TState, CancellationToken, Task<T>> operation, string path, CancellationToken cancellationToken, Func<T, TState, TimeSpan?>? roundTripOf = null)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan? latency = null;
        try
        {
            var delay = _options.RetryDelay;
            for (var attempt = 0; ; attempt++)
            {
                SmbConnection? connection = null;
                try
                {
                    connection = await _pool.GetAsync(cancellationToken).ConfigureAwait(false);
                    var result = await operation(connection, state, cancellationToken).ConfigureAwait(false);
                    latency = attempt == 0 ? roundTripOf?.Invoke(result, state) : null;
                    return result;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && attempt < _options.RetryCount && SmbErrors.NeedsNewConnection(ex))
                {
                    Retire(connection, ex);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    delay *= 2;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Retire(connection, ex);
                    throw SmbErrors.Classify(ex, path);
                }
            }
        }
        finally
        {
            _inFlight.Release(latency);
        }
    }

    /// <summary>An expired session or deleted tree leaves the socket up: retire the connection so that the next operation gets a fresh one.</summary>
    private static void Retire(SmbConnection? connection, Exception exception)
    {
        if (exception is SmbStatusException && SmbErrors.NeedsNewConnection(exception))
        {
            connection?.Abandon(exception.Message);
        }
    }

    /// <summary>Maps a relative path to the share path: backslashes, below the root, no climbing out.</summary>
    internal string ToSmbPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (IsPlainPath(relativePath))
        {
            // The usual case (every header read): one string, the root and the path with '/' turned into '\'.
            return string.Create(
                _root.Length == 0 ? relativePath.Length : _root.Length + 1 + relativePath.Length,
                (_root, relativePath),
                static (span, s) =>
                {
                    if (s._root.Length != 0)
                    {
                        s._root.CopyTo(span);
                        span[s._root.Length] = '\\';
                        span = span[(s._root.Length + 1)..];
                    }

                    s.relativePath.AsSpan().Replace(span, '/', '\\');
                });
        }

        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".." || p.Contains('\\', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{relativePath}' is not a path below the root.", nameof(relativePath));
        }

        var inner = string.Join('\\', parts);
        return _root.Length == 0 ? inner : inner.Length == 0 ? _root : _root + "\\" + inner;
    }

    /// <summary>Non-empty segments between single slashes, none of them "." or "..", no backslash: nothing to drop or refuse.</summary>
    private static bool IsPlainPath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path.Contains('\\'))
        {
            return false;
        }

        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync().ConfigureAwait(false);
    }
}
