using System.Net.Http.Json;
using System.Text.Json;
using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>Asks the test Orthanc directly (not through the bridge) what it holds.</summary>
internal static class Orthanc
{
    public static async Task<int> SeriesInstanceCountAsync(this OrthancServer server, string seriesId)
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync($"series/{seriesId}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("Instances").GetArrayLength();
    }

    public static async Task<int> TotalInstancesAsync(this OrthancServer server)
    {
        using var client = server.CreateClient();
        var json = await client.GetFromJsonAsync<JsonElement>("statistics");
        return json.GetProperty("CountInstances").GetInt32();
    }

    public static async Task<Dictionary<string, string>> SeriesMetadataAsync(this OrthancServer server, string seriesId)
    {
        using var client = server.CreateClient();
        var json = await client.GetFromJsonAsync<JsonElement>($"series/{seriesId}/metadata?expand");
        return json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
