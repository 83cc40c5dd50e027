using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: the audit log records sign-ins and state changes with ids, and refuses to be rewritten.</summary>
public sealed class AuditTests
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" };

    [Fact]
    public async Task IndexStartAndCancel_ByOperator_AreRecordedWithRootAndStatus()
    {
        using var factory = new ApiFactory(ApiFactory.Slow(Quiet));
        using var operatorClient = factory.CreateClient("operator");
        using var viewer = factory.CreateClient("viewer");

        using var start = await operatorClient.PostAsync("/api/index/start?root=sample", null);
        using var cancel = await operatorClient.PostAsync("/api/index/cancel?root=sample", null);
        using var denied = await viewer.PostAsync("/api/index/start?root=sample", null);
        var rows = await RowsAsync(factory);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = rows.Single(r => r.GetProperty("action").GetString() == "POST /api/index/start" && r.GetProperty("actor").GetString() == "operator-user");
        Assert.Equal("root=sample", started.GetProperty("target").GetString());
        Assert.Equal(202, started.GetProperty("status").GetInt32());
        var cancelled = rows.Single(r => r.GetProperty("action").GetString() == "POST /api/index/cancel");
        Assert.Equal((int)cancel.StatusCode, cancelled.GetProperty("status").GetInt32());
        var refused = rows.Single(r => r.GetProperty("action").GetString() == "POST /api/index/start" && r.GetProperty("actor").GetString() == "viewer-user");
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task SignIn_OkFailedAndUnknown_AreRecordedWithoutTheTypedName()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();

        using var failed = await BrowserSession.PostLoginAsync(browser, "admin", "wrong-password");
        using var unknown = await BrowserSession.PostLoginAsync(browser, "Typed-A-Password-Here", "whatever-it-is");
        await BrowserSession.SignInAsync(browser, "admin", factory.AdminPassword);
        var rows = await RowsAsync(factory);
        var text = string.Join("\n", rows.Select(r => r.ToString()));

        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "sign-in failed" && r.GetProperty("target").GetString() == "user=admin");
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "sign-in failed" && r.GetProperty("target").GetString() == "user=(unknown)");
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "sign-in" && r.GetProperty("actor").GetString() == "admin");
        Assert.DoesNotContain("Typed-A-Password-Here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserChanges_AreRecordedWithIdsAndRoles()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();

        using var created = await admin.PostAsJsonAsync("/api/users", new { name = "nurse", role = "viewer", password = "nurse-password-1" });
        var id = (await created.BodyAsync()).GetProperty("id").GetInt64();
        using var promoted = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "operator" });
        using var reset = await admin.PostAsJsonAsync($"/api/users/{id}/password", new { password = "nurse-password-2" });
        var rows = await RowsAsync(factory);

        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "POST /api/users" && r.GetProperty("target").GetString() == $"user={id} role=viewer");
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "PUT /api/users/{id:long}" && r.GetProperty("target").GetString() == $"id={id} role=operator disabled=no");
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "POST /api/users/{id:long}/password" && r.GetProperty("status").GetInt32() == 204);
        Assert.DoesNotContain(rows, r => r.ToString().Contains("nurse-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditTable_UpdateOrDelete_IsRefusedByTheDatabase()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var _ = await admin.PostAsync("/api/index/start?root=sample", null);
        Assert.NotEmpty(await RowsAsync(factory));

        using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.Data.Path, "security.db")};Pooling=False");
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE audit SET actor = 'someone else'";
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit";

        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => update.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => delete.ExecuteNonQuery()).Message, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> RowsAsync(ApiFactory factory)
    {
        using var admin = factory.CreateClient();
        var page = await admin.JsonAsync("/api/audit?pageSize=200");
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}
