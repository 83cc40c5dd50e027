namespace NasPacs.Api.Security;

/// <summary>
/// The append-only audit log in <see cref="SecurityDatabase"/>: who did what to which id, with the outcome. Only
/// inserts and reads exist here; the database's triggers refuse updates and deletes. Targets are ids (roots, shares,
/// users, series UIDs), never patient names.
/// </summary>
internal sealed class AuditLog(SecurityDatabase database, TimeProvider time)
{
    /// <summary>The largest page the audit route returns.</summary>
    public const int MaxPageSize = 200;

    public void Write(AuditEntry entry)
    {
        using var connection = database.Open();
        UserStore.Command(
            connection,
            "INSERT INTO audit (at, actor, actor_id, action, target, status, address) VALUES ($at, $actor, $actorId, $action, $target, $status, $address)",
            ("$at", UserStore.Format(time.GetUtcNow())),
            ("$actor", (object?)entry.Actor ?? DBNull.Value),
            ("$actorId", (object?)entry.ActorId ?? DBNull.Value),
            ("$action", entry.Action),
            ("$target", (object?)entry.Target ?? DBNull.Value),
            ("$status", (object?)entry.Status ?? DBNull.Value),
            ("$address", (object?)entry.Address ?? DBNull.Value)).ExecuteNonQuery();
    }

    /// <summary>Rows newest first, optionally those whose action contains <paramref name="action"/>.</summary>
    public AuditPage Read(string? action, int offset, int limit)
    {
        using var connection = database.Open();
        var filter = string.IsNullOrWhiteSpace(action) ? "" : " WHERE action LIKE '%' || $action || '%' ESCAPE '\\'";
        var escaped = action?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) ?? "";
        var total = (long)UserStore.Command(connection, "SELECT COUNT(*) FROM audit" + filter, ("$action", escaped)).ExecuteScalar()!;
        using var reader = UserStore.Command(
            connection,
            $"SELECT id, at, actor, actor_id, action, target, status, address FROM audit{filter} ORDER BY id DESC LIMIT $limit OFFSET $offset",
            ("$action", escaped), ("$limit", limit), ("$offset", offset)).ExecuteReader();
        var rows = new List<AuditRow>();
        while (reader.Read())
        {
            rows.Add(new AuditRow(
                reader.GetInt64(0),
                UserStore.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return new AuditPage(rows, total, (offset / limit) + 1, limit);
    }
}

/// <summary>One event to record.</summary>
internal sealed record AuditEntry(string Action, string? Actor, long? ActorId, string? Target, int? Status, string? Address);

/// <summary>One recorded event.</summary>
internal sealed record AuditRow(long Id, DateTimeOffset At, string? Actor, long? ActorId, string Action, string? Target, int? Status, string? Address);

/// <summary>A page of the audit log.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditRow> Items, long Total, int Page, int PageSize);
