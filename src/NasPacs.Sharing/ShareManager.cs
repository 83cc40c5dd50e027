using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.Sharing.Storage;

namespace NasPacs.Sharing;

internal sealed partial class ShareManager : IShareManager
{
    private const int MaxNoteLength = 500;
    private const int MaxUserAgentLength = 512;
    private const int MaxPasswordLength = 256;

    private readonly ShareOptions _options;
    private readonly ShareDatabase _database;
    private readonly ClientThrottle _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ShareManager(IOptions<ShareOptions> options, TimeProvider time, ILogger<ShareManager> logger)
    {
        _options = options.Value;
        _database = new ShareDatabase(_options.DatabasePath);
        _clients = new ClientThrottle(_options, time);
        _time = time;
        _logger = logger;
    }

    public async Task<CreatedShare> CreateAsync(ShareRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expiresIn = request.ExpiresIn ?? _options.DefaultExpiry;
        Check(!string.IsNullOrWhiteSpace(request.Root), nameof(request.Root), "A root is required.");
        Check(!string.IsNullOrWhiteSpace(request.SeriesKey) && request.SeriesKey.Length <= 1024, nameof(request.SeriesKey), "A series key of 1 to 1,024 characters is required.");
        Check(expiresIn >= TimeSpan.FromMinutes(1) && expiresIn <= _options.MaxExpiry, nameof(request.ExpiresIn),
            $"The expiry must be from 1 minute to {_options.MaxExpiry.TotalHours:0.##} hours.");
        Check(request.MaxDownloads is null || (request.MaxDownloads >= 1 && request.MaxDownloads <= _options.MaxDownloadsLimit), nameof(request.MaxDownloads),
            $"The maximum number of downloads must be from 1 to {_options.MaxDownloadsLimit:N0}, or empty for no limit.");
        Check(request.Password is null || (request.Password.Length >= _options.MinPasswordLength && request.Password.Length <= MaxPasswordLength), nameof(request.Password),
            $"A password must have {_options.MinPasswordLength} to {MaxPasswordLength} characters.");
        Check(request.Note is null || request.Note.Length <= MaxNoteLength, nameof(request.Note), $"The note must be at most {MaxNoteLength} characters.");
        Check(Enum.IsDefined(request.Compression), nameof(request.Compression), "Compression must be stored or deflate.");

        var token = ShareTokens.Create();
        var now = _time.GetUtcNow();
        var passwordHash = request.Password is null ? null : PasswordHashing.Hash(request.Password, _options.PasswordIterations);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO shares (token_hash, root, series_key, created_by, created_at, expires_at, password_hash, max_downloads, note, show_details, show_patient, compression)
            VALUES ($hash, $root, $key, $by, $created, $expires, $password, $max, $note, $details, $patient, $compression)
            RETURNING id
            """;
        command.Parameters.AddWithValue("$hash", ShareTokens.Hash(token));
        command.Parameters.AddWithValue("$root", request.Root.Trim());
        command.Parameters.AddWithValue("$key", request.SeriesKey);
        command.Parameters.AddWithValue("$by", string.IsNullOrWhiteSpace(request.CreatedBy) ? "anonymous" : request.CreatedBy);
        command.Parameters.AddWithValue("$created", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (now + expiresIn).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$password", (object?)passwordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$max", (object?)request.MaxDownloads ?? DBNull.Value);
        command.Parameters.AddWithValue("$note", string.IsNullOrWhiteSpace(request.Note) ? DBNull.Value : request.Note.Trim());
        command.Parameters.AddWithValue("$details", request.ShowDetails);
        command.Parameters.AddWithValue("$patient", request.ShowPatient);
        command.Parameters.AddWithValue("$compression", CompressionName(request.Compression));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var share = (await GetAsync(connection, id, cancellationToken).ConfigureAwait(false))!;
        _logger.Created(id, share.Root, share.ExpiresAt, share.HasPassword, share.MaxDownloads);
        return new CreatedShare(share, token);
    }

    public async Task<ShareAccess> AuthorizeAsync(string token, ShareAction action, ShareClient client, bool unlocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (access, row) = await FindAsync(connection, token, client, cancellationToken).ConfigureAwait(false);
        if (access is not null)
        {
            return await RecordAsync(connection, access, action, client, cancellationToken).ConfigureAwait(false);
        }

        var share = row!.Value.Share;
        if (share.HasPassword && !unlocked)
        {
            return await RecordAsync(connection, new ShareAccess(ShareOutcome.PasswordRequired, share), action, client, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$id", share.Id);
        command.Parameters.AddWithValue("$now", now);
        if (action == ShareAction.Download)
        {
            // The limit is checked and spent in one statement, so concurrent downloads cannot overshoot it.
            command.CommandText = """
                UPDATE shares SET download_count = download_count + 1, access_count = access_count + 1, last_accessed = $now
                WHERE id = $id AND revoked_at IS NULL AND expires_at > $now AND (max_downloads IS NULL OR download_count < max_downloads)
                """;
        }
        else
        {
            command.CommandText = "UPDATE shares SET access_count = access_count + 1, last_accessed = $now WHERE id = $id AND revoked_at IS NULL";
        }

        var granted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        var current = await GetAsync(connection, share.Id, cancellationToken).ConfigureAwait(false) ?? share;
        var outcome = granted ? ShareOutcome.Granted : Refusal(current) ?? ShareOutcome.Exhausted;
        return await RecordAsync(connection, new ShareAccess(outcome, current), action, client, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShareAccess> UnlockAsync(string token, string password, ShareClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (access, row) = await FindAsync(connection, token, client, cancellationToken).ConfigureAwait(false);
        if (access is not null)
        {
            return await RecordAsync(connection, access, ShareAction.Unlock, client, cancellationToken).ConfigureAwait(false);
        }

        var (share, passwordHash, lockedUntil) = row!.Value;
        var now = _time.GetUtcNow();
        if (lockedUntil is { } until && until > now)
        {
            return await RecordAsync(connection, new ShareAccess(ShareOutcome.Throttled, share, until - now), ShareAction.Unlock, client, cancellationToken).ConfigureAwait(false);
        }

        var right = passwordHash is null
            || (password is { Length: > 0 and <= MaxPasswordLength } && PasswordHashing.Verify(password, passwordHash));
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$id", share.Id);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        if (right)
        {
            command.CommandText = "UPDATE shares SET failed_attempts = 0, locked_until = NULL, access_count = access_count + 1, last_accessed = $now WHERE id = $id";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return await RecordAsync(connection, new ShareAccess(ShareOutcome.Granted, share), ShareAction.Unlock, client, cancellationToken).ConfigureAwait(false);
        }

        command.CommandText = "UPDATE shares SET failed_attempts = failed_attempts + 1 WHERE id = $id RETURNING failed_attempts";
        var failures = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (Backoff.After(failures, _options.ShareFailureLimit, _options.FailureBackoff, _options.MaxFailureBackoff) is { } wait)
        {
            using var lockCommand = connection.CreateCommand();
            lockCommand.CommandText = "UPDATE shares SET locked_until = $until WHERE id = $id";
            lockCommand.Parameters.AddWithValue("$id", share.Id);
            lockCommand.Parameters.AddWithValue("$until", (now + wait).ToUnixTimeMilliseconds());
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _clients.Failed(client.IpAddress);
        return await RecordAsync(connection, new ShareAccess(ShareOutcome.WrongPassword, share), ShareAction.Unlock, client, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE shares SET revoked_at = COALESCE(revoked_at, $now) WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        var found = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (found)
        {
            _logger.Revoked(id);
        }

        return found;
    }

    public async Task<ShareInfo?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<ShareInfo>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await CountAsync(connection, "SELECT COUNT(*) FROM shares", null, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM shares ORDER BY id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", Math.Clamp(page.Limit, 1, PageRequest.MaxLimit));
        command.Parameters.AddWithValue("$offset", Math.Max(0, page.Offset));
        var items = new List<ShareInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadShare(reader).Share);
        }

        return new Page<ShareInfo>(items, total, page.Offset, page.Limit);
    }

    public async Task<Page<ShareAccessRecord>> GetAccessLogAsync(long id, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await CountAsync(connection, "SELECT COUNT(*) FROM share_access_log WHERE share_id = $id", id, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, share_id, accessed_at, ip_address, user_agent, action, outcome FROM share_access_log
            WHERE share_id = $id ORDER BY id DESC LIMIT $limit OFFSET $offset
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$limit", Math.Clamp(page.Limit, 1, PageRequest.MaxLimit));
        command.Parameters.AddWithValue("$offset", Math.Max(0, page.Offset));
        var items = new List<ShareAccessRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new ShareAccessRecord(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetInt64(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Enum.Parse<ShareAction>(reader.GetString(5), ignoreCase: true),
                Enum.Parse<ShareOutcome>(reader.GetString(6).Replace("_", "", StringComparison.Ordinal), ignoreCase: true)));
        }

        return new Page<ShareAccessRecord>(items, total, page.Offset, page.Limit);
    }

    public async Task<ShareStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*),
                   COALESCE(SUM(revoked_at IS NULL AND expires_at > $now AND (max_downloads IS NULL OR download_count < max_downloads)), 0),
                   COALESCE(SUM(revoked_at IS NULL AND expires_at <= $now), 0),
                   COALESCE(SUM(revoked_at IS NOT NULL), 0),
                   COALESCE(SUM(revoked_at IS NULL AND expires_at > $now AND max_downloads IS NOT NULL AND download_count >= max_downloads), 0),
                   COALESCE(SUM(download_count), 0),
                   (SELECT COUNT(*) FROM share_access_log WHERE success = 1),
                   (SELECT COUNT(*) FROM share_access_log WHERE success = 0)
            FROM shares
            """;
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ShareStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
    }

    private static void Check(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, field);
        }
    }

    private static string CompressionName(ShareCompression compression) => compression == ShareCompression.Deflate ? "deflate" : "stored";

    private static async Task<long> CountAsync(SqliteConnection connection, string sql, long? id, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<ShareInfo?> GetAsync(SqliteConnection connection, long id, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM shares WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadShare(reader).Share : null;
    }
}
