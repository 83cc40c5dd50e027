using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using NasPacs.Testing;

namespace NasPacs.Api.Tests.Shares;

/// <summary>The share routes end to end: the real server, the real index of the sample NAS, real zip clients.</summary>
public sealed partial class SharesApiTests(SharesFixture fixture) : IClassFixture<SharesFixture>
{
    private string Series => fixture.SeriesKeys[0];

    [Fact]
    public async Task Create_IndexedSeries_Returns201WithLinkListedWithoutToken()
    {
        var (id, path, token) = await fixture.ShareAsync(Series, new { expires_in_hours = 2, max_downloads = 3, note = "For Dr. Who" });

        Assert.Matches("^/s/[A-Za-z0-9_-]{43}$", path);
        var share = await fixture.Api.JsonAsync($"/api/shares/{id}");
        Assert.Equal("active", share.GetProperty("state").GetString());
        Assert.Equal(3, share.GetProperty("max_downloads").GetInt32());
        var expires = share.GetProperty("expires_at").GetDateTimeOffset() - share.GetProperty("created_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(2), expires);
        var list = await fixture.Api.GetStringAsync("/api/shares?pageSize=200");
        Assert.Contains($"\"id\":{id},", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownSeries_Returns404()
    {
        using var response = await fixture.Api.PostAsJsonAsync("/api/shares", new { root = "sample", series_key = "1.2.999" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("expires_in_hours", 100_000)]
    [InlineData("expires_in_hours", -1)]
    [InlineData("max_downloads", 0)]
    [InlineData("password", "short")]
    public async Task Create_OutOfRange_Returns400NamingTheField(string field, object value)
    {
        var body = new Dictionary<string, object?> { ["root"] = "sample", ["series_key"] = Series, [field] = value };

        using var response = await fixture.Api.PostAsJsonAsync("/api/shares", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.BodyAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Download_ValidLink_ZipHoldsEveryNasFileByteForByte()
    {
        var (id, path, _) = await fixture.ShareAsync(Series);
        using var recipient = fixture.Recipient();
        using var folder = new TempFolder("naspacs-share-dl");

        using var response = await recipient.GetAsync(path + "/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var zipPath = folder.Combine("series.zip");
        await File.WriteAllBytesAsync(zipPath, await response.Content.ReadAsByteArrayAsync());
        var files = await fixture.FilesOfAsync(Series);
        var names = ZipCheck.Verify(zipPath, files.Select((f, i) => ($"IM_{i + 1:D5}.dcm", Path.Combine(fixture.NasFolder, f))).Select(p => (EntryIn(zipPath, p.Item1), p.Item2)));
        Assert.Equal(files.Count, names.Count);
        Assert.All(names, n => Assert.Matches(@"^NP-SAMPLE-00\d_\d{8}/\d+_[A-Z0-9_]+/IM_0000\d\.dcm$", n));
        Assert.Equal(["granted"], await fixture.OutcomesAsync(id));
        Assert.Equal(1, (await fixture.Api.JsonAsync($"/api/shares/{id}")).GetProperty("downloads").GetInt32());
    }

    [Fact]
    public async Task Download_FileDeletedSinceIndexing_ZipCarriesMissingTxt()
    {
        var series = fixture.SeriesKeys[1];
        var files = await fixture.FilesOfAsync(series);
        File.Delete(Path.Combine(fixture.NasFolder, files[1]));
        var (_, path, _) = await fixture.ShareAsync(series);
        using var recipient = fixture.Recipient();
        using var folder = new TempFolder("naspacs-share-dl");

        using var response = await recipient.GetAsync(path + "/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var zipPath = folder.Combine("series.zip");
        await File.WriteAllBytesAsync(zipPath, await response.Content.ReadAsByteArrayAsync());
        int[] present = [0, 2, 3];
        var kept = present.Select(i => (EntryIn(zipPath, $"IM_{i + 1:D5}.dcm"), Path.Combine(fixture.NasFolder, files[i])));
        var names = ZipCheck.Verify(zipPath, kept);
        Assert.Equal(["IM_00001.dcm", "IM_00003.dcm", "IM_00004.dcm", "MISSING.txt"], names.Select(n => n.Split('/')[^1]));
        using var zip = System.IO.Compression.ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(zip.Entries[^1].Open());
        Assert.Contains("IM_00002.dcm  vanished", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_20AtOnce_AllCompleteIntact()
    {
        var series = fixture.SeriesKeys[2];
        var (id, path, _) = await fixture.ShareAsync(series);
        var files = await fixture.FilesOfAsync(series);
        var expected = await Task.WhenAll(files.Select(f => File.ReadAllBytesAsync(Path.Combine(fixture.NasFolder, f))));

        var zips = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var recipient = fixture.Recipient();
            using var response = await recipient.GetAsync(path + "/download");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsByteArrayAsync();
        }));

        foreach (var bytes in zips)
        {
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
            Assert.Equal(files.Count, zip.Entries.Count);
            for (var i = 0; i < files.Count; i++)
            {
                using var entry = zip.Entries[i].Open();
                using var copy = new MemoryStream();
                await entry.CopyToAsync(copy);
                Assert.Equal(expected[i], copy.ToArray());
            }
        }

        using var folder = new TempFolder("naspacs-share-dl");
        var zipPath = folder.Combine("one.zip");
        await File.WriteAllBytesAsync(zipPath, zips[^1]);
        ZipCheck.Verify(zipPath, files.Select((f, i) => (EntryIn(zipPath, $"IM_{i + 1:D5}.dcm"), Path.Combine(fixture.NasFolder, f))));
        Assert.Equal(20, (await fixture.Api.JsonAsync($"/api/shares/{id}")).GetProperty("downloads").GetInt32());
    }

    [Fact]
    public async Task Landing_NothingChosen_ShowsNoPatientOrSeriesData()
    {
        var (_, path, _) = await fixture.ShareAsync(Series);
        var summary = await fixture.Api.JsonAsync($"/api/series/{Uri.EscapeDataString(Series)}?root=sample");
        var series = summary.GetProperty("series");
        using var recipient = fixture.Recipient();

        using var response = await recipient.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Download (zip)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SAMPLE", html, StringComparison.Ordinal);
        Assert.DoesNotContain(series.GetProperty("patient_id").GetString()!, html, StringComparison.Ordinal);
        Assert.DoesNotContain(series.GetProperty("series_description").GetString()!, html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Landing_PatientAndDetailsChosen_ShowsThemEncoded()
    {
        var (_, path, _) = await fixture.ShareAsync(Series, new { show_patient = true, show_details = true, note = "<script>alert(1)</script>" });
        var series = (await fixture.Api.JsonAsync($"/api/series/{Uri.EscapeDataString(Series)}?root=sample")).GetProperty("series");
        using var recipient = fixture.Recipient();

        var html = await recipient.GetStringAsync(path);

        Assert.Contains(series.GetProperty("patient_id").GetString()!, html, StringComparison.Ordinal);
        Assert.Contains(series.GetProperty("modality").GetString()!, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordLink_FormThenUnlockThenDownload()
    {
        var (id, path, _) = await fixture.ShareAsync(Series, new { password = "correct horse battery", show_patient = true });
        using var recipient = fixture.Recipient();

        using var early = await recipient.GetAsync(path + "/download");
        Assert.Equal(HttpStatusCode.SeeOther, early.StatusCode);
        var form = await recipient.GetStringAsync(path);
        Assert.Contains("type=\"password\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("NP-SAMPLE", form, StringComparison.Ordinal);

        using var forged = await recipient.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "correct horse battery" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var wrong = await recipient.PostAsync(path, FormWith(form, "wrong horse battery"));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("not correct", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var right = await recipient.PostAsync(path, FormWith(await recipient.GetStringAsync(path), "correct horse battery"));
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal(path, right.Headers.Location?.OriginalString);
        Assert.Contains("NP-SAMPLE", await recipient.GetStringAsync(path), StringComparison.Ordinal);

        using var download = await recipient.GetAsync(path + "/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);

        // A browser without the unlock cookie is still asked for the password.
        using var other = fixture.Recipient();
        using var stranger = await other.GetAsync(path + "/download");
        Assert.Equal(HttpStatusCode.SeeOther, stranger.StatusCode);

        Assert.Equal(
            ["password_required", "granted", "granted", "granted", "password_required", "wrong_password", "password_required", "password_required"],
            await fixture.OutcomesAsync(id));
    }

    public static TheoryData<string> Refusals => new() { "expired", "revoked", "exhausted", "wrong_password" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_LinkOfEveryKind_GetsItsStatusAndAnAccessLogRow(string kind)
    {
        var (id, path, _) = await fixture.ShareAsync(Series, kind switch
        {
            "exhausted" => new { max_downloads = 1 },
            "wrong_password" => (object)new { password = "correct horse battery" },
            _ => new { },
        });
        using var recipient = fixture.Recipient();
        HttpResponseMessage response;
        switch (kind)
        {
            case "expired":
                ExpireNow(fixture.DatabasePath, id);
                response = await recipient.GetAsync(path + "/download");
                break;
            case "revoked":
                using (var revoke = await fixture.Api.DeleteAsync($"/api/shares/{id}"))
                {
                    Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
                }

                response = await recipient.GetAsync(path + "/download");
                break;
            case "exhausted":
                (await recipient.GetAsync(path + "/download")).Dispose();
                response = await recipient.GetAsync(path + "/download");
                break;
            default:
                response = await recipient.PostAsync(path, FormWith(await recipient.GetStringAsync(path), "guess"));
                break;
        }

        using (response)
        {
            Assert.Equal(kind == "wrong_password" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, response.StatusCode);
            if (kind != "wrong_password")
            {
                Assert.Equal(NeutralPage, await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal(kind, (await fixture.OutcomesAsync(id))[0]);
    }

    [Theory]
    [InlineData("abc", "malformed")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "malformed")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "malformed")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzw", "unknown")]
    public async Task Refused_BadToken_Gets404NeutralPageAndAnAccessLogRow(string token, string outcome)
    {
        using var recipient = fixture.Recipient();
        var before = SqliteProbe.Scalar(fixture.DatabasePath, $"SELECT COUNT(*) FROM share_access_log WHERE share_id IS NULL AND outcome = '{outcome}'");

        using var page = await recipient.GetAsync("/s/" + token);
        using var download = await recipient.GetAsync($"/s/{token}/download");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(NeutralPage, await page.Content.ReadAsStringAsync());
        Assert.Equal(NeutralPage, await download.Content.ReadAsStringAsync());
        var after = SqliteProbe.Scalar(fixture.DatabasePath, $"SELECT COUNT(*) FROM share_access_log WHERE share_id IS NULL AND outcome = '{outcome}' AND user_agent = 'share-recipient/1.0'");
        Assert.True(after >= before + 2, $"expected two more '{outcome}' rows, had {before}, now {after}");
    }

    [Fact]
    public async Task Database_AfterShares_NeverContainsATokenOrPassword()
    {
        var (_, path, token) = await fixture.ShareAsync(Series, new { password = "correct horse battery" });
        using var recipient = fixture.Recipient();
        (await recipient.PostAsync(path, FormWith(await recipient.GetStringAsync(path), "correct horse battery"))).Dispose();
        (await recipient.GetAsync(path + "/download")).Dispose();

        foreach (var file in Directory.GetFiles(fixture.Factory.Data.Path, "shares.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(token)) < 0, $"{Path.GetFileName(file)} holds the token");
            Assert.True(bytes.AsSpan().IndexOf("correct horse battery"u8) < 0, $"{Path.GetFileName(file)} holds the password");
        }
    }

    [Fact]
    public async Task Revoke_UnknownId_Returns404()
    {
        using var response = await fixture.Api.DeleteAsync("/api/shares/987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stats_AfterShares_CountsThem()
    {
        await fixture.ShareAsync(Series);

        var stats = await fixture.Api.JsonAsync("/api/shares/stats");

        Assert.True(stats.GetProperty("total").GetInt64() >= 1);
        Assert.True(stats.GetProperty("active").GetInt64() >= 1);
    }

    private static string NeutralPage { get; } = NeutralPageOf();

    private static string NeutralPageOf()
    {
        var type = typeof(Program).Assembly.GetType("NasPacs.Api.Shares.SharePages", throwOnError: true)!;
        return (string)type.GetMethod("Unavailable")!.Invoke(null, null)!;
    }

    /// <summary>The password form filled in as a browser would: the page's own antiforgery field and the password.</summary>
    private static FormUrlEncodedContent FormWith(string html, string password)
    {
        var field = AntiforgeryField().Match(html);
        Assert.True(field.Success, "no antiforgery field on the page");
        return new FormUrlEncodedContent(new Dictionary<string, string> { [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value), ["password"] = password });
    }

    /// <summary>Moves a link's expiry into the past in its database (the manager's own expiry logic is tested with a fake clock).</summary>
    private static void ExpireNow(string databasePath, long id)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE shares SET expires_at = 0 WHERE id = {id}";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static string EntryIn(string zipPath, string fileName)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(zipPath);
        return zip.Entries.Single(e => e.Name == fileName).FullName;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
