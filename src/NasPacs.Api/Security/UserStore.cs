using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>
/// Local users and their personal API tokens in <see cref="SecurityDatabase"/>. Passwords are hashed with ASP.NET Core
/// Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512); API tokens are 256 random bits, stored as their
/// SHA-256 (a token is as strong as a key, so a fast hash suffices). A user's <c>stamp</c> changes with their role,
/// password or state, which ends their browser sessions.
/// </summary>
internal sealed partial class UserStore : IDisposable
{
    /// <summary>The prefix of every API token, so that secret scanners can recognise one.</summary>
    public const string TokenPrefix = "npt_";

    private static readonly PasswordHasher<object> Hasher = new(Options.Create(new PasswordHasherOptions { IterationCount = 210_000 }));
    private static readonly object Nobody = new();

    // Verified when the user does not exist, so that a wrong name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(Nobody, "not a password of anyone");

    private readonly SecurityDatabase _database;
    private readonly TimeProvider _time;
    private readonly SecurityOptions _options;

    // Enabled users by id and by token hash, each as read at a version of security.db (see ValidatedCache).
    private readonly ValidatedCache<long, SignedInUser> _active;
    private readonly ValidatedCache<string, (SignedInUser User, DateTimeOffset? LastUsed)> _tokens;

    public UserStore(SecurityDatabase database, TimeProvider time, IOptions<SecurityOptions> options)
    {
        _database = database;
        _time = time;
        _options = options.Value;
        _active = new ValidatedCache<long, SignedInUser>(database);
        _tokens = new ValidatedCache<string, (SignedInUser, DateTimeOffset?)>(database, StringComparer.Ordinal);
    }

    public void Dispose()
    {
        _active.Dispose();
        _tokens.Dispose();
    }

    public long Count()
    {
        using var connection = _database.Open();
        return (long)Command(connection, "SELECT COUNT(*) FROM users").ExecuteScalar()!;
    }

    public IReadOnlyList<UserInfo> List()
    {
        using var connection = _database.Open();
        using var reader = Command(connection, "SELECT id, name, role, disabled, created_at, updated_at FROM users ORDER BY name").ExecuteReader();
        var users = new List<UserInfo>();
        while (reader.Read())
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    public UserInfo? Find(long id)
    {
        using var connection = _database.Open();
        using var reader = Command(connection, "SELECT id, name, role, disabled, created_at, updated_at FROM users WHERE id = $id", ("$id", id)).ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    public bool Exists(string name)
    {
        using var connection = _database.Open();
        return Command(connection, "SELECT 1 FROM users WHERE name = $name", ("$name", name)).ExecuteScalar() is not null;
    }

    /// <exception cref="SecurityRequestException">The name, role or password is not acceptable, or the name is taken.</exception>
    public UserInfo Create(string? name, string? role, string? password)
    {
        var errors = new Dictionary<string, string>();
        if (name is null || !UserName().IsMatch(name))
        {
            errors["name"] = "name must be 1 to 64 letters, digits, '.', '_', '-' or '@'.";
        }

        if (!Roles.IsValid(role))
        {
            errors["role"] = $"role must be one of: {string.Join(", ", Roles.All)}.";
        }

        CheckPassword(password, errors);
        SecurityRequestException.ThrowIfAny(errors);
        var now = Now();
        using var connection = _database.Open();
        try
        {
            var id = (long)Command(
                connection,
                "INSERT INTO users (name, role, password_hash, stamp, created_at, updated_at) VALUES ($name, $role, $hash, $stamp, $now, $now) RETURNING id",
                ("$name", name!), ("$role", role!), ("$hash", Hasher.HashPassword(Nobody, password!)), ("$stamp", NewStamp()), ("$now", now)).ExecuteScalar()!;
            return Find(id)!;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == 2067)
        {
            throw new SecurityRequestException("name", $"A user named '{name}' exists already.", conflict: true);
        }
    }

    /// <summary>The user, when the name and password match an enabled user; else <see langword="null"/>.</summary>
    public SignedInUser? VerifyPassword(string name, string password)
    {
        using var connection = _database.Open();
        using var reader = Command(connection, "SELECT id, name, role, password_hash, disabled, stamp FROM users WHERE name = $name", ("$name", name)).ExecuteReader();
        if (!reader.Read())
        {
            Hasher.VerifyHashedPassword(Nobody, DummyHash, password);
            return null;
        }

        var user = new SignedInUser(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(5));
        var result = Hasher.VerifyHashedPassword(Nobody, reader.GetString(3), password);
        if (result == PasswordVerificationResult.Failed || reader.GetBoolean(4))
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            Command(connection, "UPDATE users SET password_hash = $hash WHERE id = $id", ("$hash", Hasher.HashPassword(Nobody, password)), ("$id", user.Id)).ExecuteNonQuery();
        }

        return user;
    }

    /// <summary>The enabled user with this id, for re-checking a session; <see langword="null"/> when gone or disabled.</summary>
    public SignedInUser? FindActive(long id)
    {
        var version = _active.Version();
        if (_active.TryGet(id, version, out var cached))
        {
            return cached;
        }

        var user = ReadActive(id);
        if (user is not null)
        {
            _active.Add(id, version, user);
        }

        return user;
    }

    private SignedInUser? ReadActive(long id)
    {
        using var connection = _database.Open();
        using var reader = Command(connection, "SELECT id, name, role, stamp FROM users WHERE id = $id AND disabled = 0", ("$id", id)).ExecuteReader();
        return reader.Read() ? new SignedInUser(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null;
    }

    /// <summary>Changes role and/or state; a new stamp ends the user's sessions.</summary>
    /// <exception cref="SecurityRequestException">The role is unknown, or the change would leave no enabled admin.</exception>
    public UserInfo? Update(long id, string? role, bool? disabled)
    {
        if (role is not null && !Roles.IsValid(role))
        {
            throw new SecurityRequestException("role", $"role must be one of: {string.Join(", ", Roles.All)}.");
        }

        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var current = Find(id);
        if (current is null)
        {
            return null;
        }

        var newRole = role ?? current.Role;
        var newDisabled = disabled ?? current.Disabled;
        if (current.Role == Roles.Admin && !current.Disabled && (newRole != Roles.Admin || newDisabled))
        {
            var admins = (long)Command(connection, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0", transaction).ExecuteScalar()!;
            if (admins <= 1)
            {
                throw new SecurityRequestException("role", "This is the last enabled admin: make another user admin first.", conflict: true);
            }
        }

        Command(
            connection,
            "UPDATE users SET role = $role, disabled = $disabled, stamp = $stamp, updated_at = $now WHERE id = $id",
            transaction,
            ("$role", newRole), ("$disabled", newDisabled), ("$stamp", NewStamp()), ("$now", Now()), ("$id", id)).ExecuteNonQuery();
        transaction.Commit();
        return Find(id);
    }

    /// <summary>Sets a new password; a new stamp ends the user's sessions.</summary>
    /// <exception cref="SecurityRequestException">The password is too short.</exception>
    public bool SetPassword(long id, string? password)
    {
        var errors = new Dictionary<string, string>();
        CheckPassword(password, errors);
        SecurityRequestException.ThrowIfAny(errors);
        using var connection = _database.Open();
        return Command(
            connection,
            "UPDATE users SET password_hash = $hash, stamp = $stamp, updated_at = $now WHERE id = $id",
            ("$hash", Hasher.HashPassword(Nobody, password!)), ("$stamp", NewStamp()), ("$now", Now()), ("$id", id)).ExecuteNonQuery() == 1;
    }

    /// <summary>Creates a personal API token; the secret is returned once and only its hash is kept.</summary>
    public (TokenInfo Token, string Secret) CreateToken(long userId, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new SecurityRequestException("name", "name must be 1 to 100 characters (what the token is for).");
        }

        var secret = TokenPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var prefix = secret[..(TokenPrefix.Length + 6)];
        using var connection = _database.Open();
        var id = (long)Command(
            connection,
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($user, $name, $hash, $prefix, $now) RETURNING id",
            ("$user", userId), ("$name", name.Trim()), ("$hash", Hash(secret)), ("$prefix", prefix), ("$now", Now())).ExecuteScalar()!;
        return (ListTokens(userId).Single(t => t.Id == id), secret);
    }

    public IReadOnlyList<TokenInfo> ListTokens(long userId)
    {
        using var connection = _database.Open();
        using var reader = Command(
            connection,
            "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $user ORDER BY id",
            ("$user", userId)).ExecuteReader();
        var tokens = new List<TokenInfo>();
        while (reader.Read())
        {
            tokens.Add(new TokenInfo(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : Parse(reader.GetString(4)), !reader.IsDBNull(5)));
        }

        return tokens;
    }

    public bool RevokeToken(long userId, long tokenId)
    {
        using var connection = _database.Open();
        return Command(
            connection,
            "UPDATE api_tokens SET revoked_at = $now WHERE id = $id AND user_id = $user AND revoked_at IS NULL",
            ("$now", Now()), ("$id", tokenId), ("$user", userId)).ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// The enabled user owning this unrevoked token, or <see langword="null"/>. A token seen before is answered from memory
    /// while security.db is unchanged since it was read (a revocation, a disabled user or a new role changes it, from this
    /// process or any other), and its last use was recorded less than five minutes ago.
    /// </summary>
    public SignedInUser? FindByToken(string secret)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Hash(secret);
        var key = Convert.ToBase64String(hash);
        var version = _tokens.Version();
        var now = _time.GetUtcNow();
        if (_tokens.TryGet(key, version, out var cached) && !UseIsDue(cached.LastUsed, now))
        {
            return cached.User;
        }

        var found = ReadToken(hash, now);
        if (found is { } entry)
        {
            _tokens.Add(key, version, entry);
        }

        return found?.User;
    }

    // Written at most every five minutes, so that automation does not turn every read into a write.
    private static bool UseIsDue(DateTimeOffset? lastUsed, DateTimeOffset now) => lastUsed is null || now - lastUsed > TimeSpan.FromMinutes(5);

    private (SignedInUser User, DateTimeOffset? LastUsed)? ReadToken(byte[] hash, DateTimeOffset now)
    {
        using var connection = _database.Open();
        SignedInUser user;
        long tokenId;
        DateTimeOffset? lastUsed;
        using (var reader = Command(
            connection,
            """
            SELECT u.id, u.name, u.role, u.stamp, t.id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $hash AND t.revoked_at IS NULL AND u.disabled = 0
            """,
            ("$hash", hash)).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            user = new SignedInUser(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            tokenId = reader.GetInt64(4);
            lastUsed = reader.IsDBNull(5) ? null : Parse(reader.GetString(5));
        }

        if (UseIsDue(lastUsed, now))
        {
            // After the read (a write from inside a read snapshot fails at once when another request wrote first: all
            // requests of a busy client find the last use due at the same moment). It is bookkeeping: when another
            // writer holds the file past the busy timeout, the next request records it.
            try
            {
                Command(connection, "UPDATE api_tokens SET last_used_at = $now WHERE id = $id", ("$now", Format(now)), ("$id", tokenId)).ExecuteNonQuery();
                lastUsed = now;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
            {
            }
        }

        return (user, lastUsed);
    }

    private void CheckPassword(string? password, Dictionary<string, string> errors)
    {
        if (password is null || password.Length < _options.MinPasswordLength || password.Length > 256)
        {
            errors["password"] = $"password must be {_options.MinPasswordLength} to 256 characters.";
        }
    }

    private static UserInfo ReadUser(SqliteDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), Parse(reader.GetString(4)), Parse(reader.GetString(5)));

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string Now() => Format(_time.GetUtcNow());

    internal static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
        => Command(connection, sql, null, parameters);

    internal static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex UserName();
}

/// <summary>
/// Answers read from security.db, each kept with the database's <c>PRAGMA data_version</c> at the time of the read (taken
/// before it): an answer is reused only while that version is current, so any commit since — a revoked token, a disabled
/// user, a new role or password, by this process or another — makes every answer read again. The version is one
/// prepared statement on a connection of its own (~2 µs) instead of opening a connection and preparing a join (~85 µs).
/// </summary>
internal sealed class ValidatedCache<TKey, TValue> : IDisposable
    where TKey : notnull
{
    /// <summary>Entries kept at most; past it the cache starts empty again (unknown tokens are never cached).</summary>
    private const int MaxEntries = 10_000;

    private readonly SecurityDatabase _database;
    private readonly ConcurrentDictionary<TKey, (long Version, TValue Value)> _entries;
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _dataVersion;

    public ValidatedCache(SecurityDatabase database, IEqualityComparer<TKey>? comparer = null)
    {
        _database = database;
        _entries = new ConcurrentDictionary<TKey, (long, TValue)>(comparer);
    }

    /// <summary>The database's version now; read it before reading what <see cref="Add"/> will keep.</summary>
    public long Version()
    {
        lock (_lock)
        {
            if (_dataVersion is null)
            {
                _connection = _database.Open();
                _dataVersion = _connection.CreateCommand();
                _dataVersion.CommandText = "PRAGMA data_version";
            }

            return (long)_dataVersion.ExecuteScalar()!;
        }
    }

    public bool TryGet(TKey key, long version, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Add(TKey key, long version, TValue value)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = (version, value);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _dataVersion?.Dispose();
            _connection?.Dispose();
            _dataVersion = null;
        }
    }
}

/// <summary>A user as the admin pages show it (never the hash).</summary>
internal sealed record UserInfo(long Id, string Name, string Role, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An API token as its owner sees it: never the secret, only its first characters.</summary>
internal sealed record TokenInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked);

/// <summary>A user who proved who they are: what the session's claims hold.</summary>
internal sealed record SignedInUser(long Id, string Name, string Role, string Stamp);

/// <summary>A security request that cannot be done as asked: a 400 ValidationProblem, or 409 when it conflicts with the state.</summary>
internal sealed class SecurityRequestException(string field, string message, bool conflict = false) : Exception(message)
{
    public string Field { get; } = field;

    public bool IsConflict { get; } = conflict;

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string> { [field] = message };

    public static void ThrowIfAny(Dictionary<string, string> errors)
    {
        if (errors.Count > 0)
        {
            var first = errors.First();
            throw new SecurityRequestException(first.Key, first.Value) { Errors = errors };
        }
    }
}
