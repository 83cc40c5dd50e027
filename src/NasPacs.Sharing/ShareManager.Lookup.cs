using Microsoft.Data.Sqlite;

namespace NasPacs.Sharing;

internal sealed partial class ShareManager
{
    private const string Columns = """
        id, root, series_key, created_by, created_at, expires_at, revoked_at, password_hash, max_downloads, download_count,
        access_count, last_accessed, note, show_details, show_patient, compression, locked_until, token_hash
        """;

    /// <summary>
    /// Finds the link a token names. Returns a refusal (client throttled, malformed, unknown, revoked, expired, exhausted)
    /// or the row of a live link.
    /// </summary>
    private async Task<(ShareAccess? Refusal, ShareRow? Row)> FindAsync(SqliteConnection connection, string token, ShareClient client, CancellationToken cancellationToken)
    {
        if (_clients.RetryAfter(client.IpAddress) is { } wait)
        {
            return (new ShareAccess(ShareOutcome.Throttled, null, wait), null);
        }

        if (!ShareTokens.IsWellFormed(token))
        {
            _clients.Failed(client.IpAddress);
            return (new ShareAccess(ShareOutcome.Malformed, null), null);
        }

        var hash = ShareTokens.Hash(token);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM shares WHERE token_hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        ShareRow? row = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row = ReadShare(reader);
            }
        }

        // The index found the row by its hash; the comparison that grants access is constant-time.
        if (row is null || !ShareTokens.HashesEqual(row.Value.TokenHash, hash))
        {
            _clients.Failed(client.IpAddress);
            return (new ShareAccess(ShareOutcome.Unknown, null), null);
        }

        var share = row.Value.Share;
        if (Refusal(share) is { } refusal)
        {
            return (new ShareAccess(refusal, share), null);
        }

        return (null, row);
    }

    private ShareOutcome? Refusal(ShareInfo share) => share.StateAt(_time.GetUtcNow()) switch
    {
        ShareState.Revoked => ShareOutcome.Revoked,
        ShareState.Expired => ShareOutcome.Expired,
        ShareState.Exhausted => ShareOutcome.Exhausted,
        _ => null,
    };

    private async Task<ShareAccess> RecordAsync(SqliteConnection connection, ShareAccess access, ShareAction action, ShareClient client, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO share_access_log (share_id, accessed_at, ip_address, user_agent, action, outcome, success)
            VALUES ($share, $at, $ip, $agent, $action, $outcome, $success)
            """;
        command.Parameters.AddWithValue("$share", (object?)access.Share?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$ip", (object?)client.IpAddress ?? DBNull.Value);
        command.Parameters.AddWithValue("$agent", client.UserAgent is null ? DBNull.Value : client.UserAgent[..Math.Min(client.UserAgent.Length, MaxUserAgentLength)]);
        command.Parameters.AddWithValue("$action", action.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$outcome", OutcomeName(access.Outcome));
        command.Parameters.AddWithValue("$success", access.IsGranted);

        // The log is written even when the client has gone: a refused or granted request is always on record.
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        _logger.Access(access.Share?.Id, action, access.Outcome);
        return access;
    }

    /// <summary>The outcome as stored: snake_case, like the API's enums.</summary>
    internal static string OutcomeName(ShareOutcome outcome) => outcome switch
    {
        ShareOutcome.PasswordRequired => "password_required",
        ShareOutcome.WrongPassword => "wrong_password",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static ShareRow ReadShare(SqliteDataReader reader)
    {
        static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        var share = new ShareInfo
        {
            Id = reader.GetInt64(0),
            Root = reader.GetString(1),
            SeriesKey = reader.GetString(2),
            CreatedBy = reader.GetString(3),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            RevokedAt = Time(reader, 6),
            HasPassword = !reader.IsDBNull(7),
            MaxDownloads = reader.IsDBNull(8) ? null : reader.GetInt32(8),
            Downloads = reader.GetInt32(9),
            Accesses = reader.GetInt32(10),
            LastAccessed = Time(reader, 11),
            Note = reader.IsDBNull(12) ? null : reader.GetString(12),
            ShowDetails = reader.GetBoolean(13),
            ShowPatient = reader.GetBoolean(14),
            Compression = string.Equals(reader.GetString(15), "deflate", StringComparison.Ordinal) ? ShareCompression.Deflate : ShareCompression.Stored,
        };
        return new ShareRow(share, reader.IsDBNull(7) ? null : reader.GetString(7), Time(reader, 16), (byte[])reader.GetValue(17));
    }

    /// <summary>A share with the columns that never leave the library.</summary>
    private readonly record struct ShareRow(ShareInfo Share, string? PasswordHash, DateTimeOffset? LockedUntil, byte[] TokenHash)
    {
        public void Deconstruct(out ShareInfo share, out string? passwordHash, out DateTimeOffset? lockedUntil)
            => (share, passwordHash, lockedUntil) = (Share, PasswordHash, LockedUntil);
    }

}
