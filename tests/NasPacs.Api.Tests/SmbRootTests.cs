using System.Net;
using System.Text.Json;
using NasPacs.Testing.Samba;

namespace NasPacs.Api.Tests;

/// <summary>
/// An <c>smb://</c> root through the whole server against a real <c>smbd</c>: the repository's sample NAS is served by
/// Samba and, beside it, configured as a local root; both are indexed and must hold the same series.
/// </summary>
public sealed class SmbRootTests
{
    [Fact]
    public async Task SmbRoot_IndexSearchAndTest_OverARealSambaServer_EqualsTheLocalRoot()
    {
        using var samba = SambaServer.Start();
        var studies = Path.Combine(samba.ShareFolder, "studies");
        Copy(Http.RepositorySamples(), studies);
        File.WriteAllText(Path.Combine(samba.ShareFolder, "outside-the-root.dcm"), "not below the configured root");

        // Credentials come from configuration, as an operator sets them (environment NasPacs__Roots__nas__Password, …).
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:Roots:nas:Path"] = samba.Url + "/studies",
            ["NasPacs:Roots:nas:User"] = SambaServer.UserName,
            ["NasPacs:Roots:nas:Password"] = SambaServer.Password,
            ["NasPacs:Roots:local:Path"] = studies,
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        });
        using var client = factory.CreateClient();

        foreach (var root in new[] { "nas", "local" })
        {
            using var started = await client.PostAsync($"/api/index/start?root={root}", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var nas = (await client.WaitForPhaseAsync("nas", "completed")).GetProperty("status");
        var local = (await client.WaitForPhaseAsync("local", "completed")).GetProperty("status");
        // The same files, seen through Samba and through the file system (the root's own file, outside, is not below it).
        var files = local.GetProperty("enumerated_files").GetInt64();
        Assert.True(files > 0);
        Assert.Equal(files, nas.GetProperty("enumerated_files").GetInt64());
        Assert.Equal(local.GetProperty("files_processed").GetInt64(), nas.GetProperty("files_processed").GetInt64());
        Assert.Equal(local.GetProperty("series_count").GetInt64(), nas.GetProperty("series_count").GetInt64());
        Assert.Equal(local.GetProperty("errors").GetInt64(), nas.GetProperty("errors").GetInt64());
        Assert.True(nas.GetProperty("series_count").GetInt64() > 0);

        var nasSeries = await SeriesAsync(client, "nas");
        Assert.Equal(await SeriesAsync(client, "local"), nasSeries);
        // A search by the first word of a patient's name finds the same series over SMB as locally.
        var row = (await client.JsonAsync("/api/search?root=nas&pageSize=1")).GetProperty("items")[0];
        var word = Uri.EscapeDataString(row.GetProperty("patient_name").GetString()!.Split('^', ' ')[0]);
        var byName = await client.JsonAsync($"/api/search?root=nas&q={word}&pageSize=200");
        Assert.Contains(byName.GetProperty("items").EnumerateArray(), i => i.GetProperty("series_key").GetString() == row.GetProperty("series_key").GetString());
        Assert.Equal((await client.JsonAsync($"/api/search?root=local&q={word}&pageSize=200")).GetProperty("total").GetInt64(), byName.GetProperty("total").GetInt64());
        var first = nasSeries[0].Split(' ')[0];
        var details = await client.JsonAsync($"/api/series/{first}?root=nas");
        Assert.All(details.GetProperty("files").GetProperty("items").EnumerateArray(), f => Assert.True(File.Exists(Path.Combine(studies, f.GetProperty("relative_path").GetString()!))));

        var test = await client.JsonAsync("/api/nas/test?root=nas");
        Assert.True(test.GetProperty("reachable").GetBoolean(), test.ToString());
        Assert.True(test.GetProperty("readable").GetBoolean(), test.ToString());
        Assert.True(test.GetProperty("listing").GetProperty("items").GetInt64() >= files);
        Assert.True(test.GetProperty("reading").GetProperty("per_second").GetDouble() > 0);
        var smb = test.GetProperty("smb");
        Assert.Equal("3.1.1", smb.GetProperty("dialect").GetString());
        // Samba offers SMB 3 encryption, which the client takes by default (EncryptWhenOffered); an encrypted session
        // is not signed as well (MS-SMB2), so one of the two must be reported.
        Assert.True(smb.GetProperty("encryption").ValueKind == JsonValueKind.String || smb.GetProperty("signing").ValueKind == JsonValueKind.String, smb.ToString());
        Assert.True(smb.GetProperty("round_trip_ms").GetDouble() > 0, smb.ToString());
        Assert.True(smb.GetProperty("files_listed").GetInt64() >= files, smb.ToString());
        Assert.True(smb.GetProperty("files_listed_per_second").GetDouble() > 0, smb.ToString());
        Assert.True(smb.GetProperty("prefix_reads").GetInt64() > 0, smb.ToString());
        Assert.Equal(JsonValueKind.Null, (await client.JsonAsync("/api/nas/test?root=local")).GetProperty("smb").ValueKind);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(SambaServer.Password, StringComparison.Ordinal));
    }

    /// <summary>Every series of a root as "key files", in key order.</summary>
    private static async Task<List<string>> SeriesAsync(HttpClient client, string root)
    {
        var page = await client.JsonAsync($"/api/search?root={root}&pageSize=200&sort=patient_name");
        return page.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("series_key").GetString()} {i.GetProperty("file_count").GetInt64()}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
