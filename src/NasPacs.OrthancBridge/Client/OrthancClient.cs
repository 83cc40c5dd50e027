using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;

namespace NasPacs.OrthancBridge.Client;

/// <summary>
/// The few Orthanc REST calls the bridge needs, over a named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>
/// (pooled keep-alive connections, basic auth set once). Each call is one attempt: resilience is the caller's
/// <see cref="OrthancResilience"/>. Every failure leaves as a classified <see cref="OrthancException"/>.
/// </summary>
internal sealed class OrthancClient(IHttpClientFactory factory, IOptions<OrthancOptions> options)
{
    /// <summary>The named client registered by <c>AddOrthancBridge</c>.</summary>
    public const string HttpClientName = "NasPacs.Orthanc";

    /// <summary>A series ID that cannot exist: writing metadata to it tells a declared name (unknown resource) from an undeclared one.</summary>
    private const string ProbeSeriesId = "00000000-00000000-00000000-00000000-00000000";

    private static readonly MediaTypeHeaderValue DicomType = new("application/dicom");

    public Uri Url => options.Value.Url ?? throw OrthancErrors.NotConfigured();

    public async ValueTask<OrthancServerInfo> GetSystemAsync(CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync("system", cancellationToken).ConfigureAwait(false)
            ?? throw new OrthancException("Orthanc has no /system resource: NasPacs:Orthanc:Url may not point at Orthanc.");
        var root = json.RootElement;
        return new OrthancServerInfo(
            root.TryGetProperty("Version", out var v) ? v.GetString() ?? "" : "",
            root.TryGetProperty("Name", out var n) ? n.GetString() : null,
            root.TryGetProperty("ApiVersion", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : null);
    }

    /// <summary><c>POST /instances</c> with the file streamed as the body.</summary>
    public async ValueTask<InstancePushOutcome> UploadAsync(Stream body, string relativePath, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = DicomType;
        using var request = new HttpRequestMessage(HttpMethod.Post, "instances") { Content = content };
        using var response = await SendAsync(request, cancellationToken, relativePath).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw OrthancErrors.FromResponse(Url, response.StatusCode, text, relativePath);
        }

        using var json = Parse(text);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ID", out var id))
        {
            throw OrthancErrors.FromResponse(Url, HttpStatusCode.UnprocessableEntity, text, relativePath);
        }

        var status = root.TryGetProperty("Status", out var s) ? s.GetString() : null;
        return new InstancePushOutcome(
            id.GetString()!,
            root.TryGetProperty("ParentSeries", out var p) ? p.GetString() : null,
            string.Equals(status, "AlreadyStored", StringComparison.Ordinal),
            content.Headers.ContentLength ?? 0);
    }

    /// <summary>The instance IDs of a series, or <see langword="null"/> when Orthanc does not have it.</summary>
    public async ValueTask<IReadOnlyList<string>?> GetSeriesInstancesAsync(string seriesId, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync("series/" + seriesId, cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        return json.RootElement.TryGetProperty("Instances", out var instances)
            ? instances.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
    }

    /// <summary>All metadata of a series (<c>?expand</c>), or <see langword="null"/> when Orthanc does not have it.</summary>
    public async ValueTask<IReadOnlyDictionary<string, string>?> GetSeriesMetadataAsync(string seriesId, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"series/{seriesId}/metadata?expand", cancellationToken).ConfigureAwait(false);
        return json?.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    public async ValueTask SetSeriesMetadataAsync(string seriesId, string name, string value, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"series/{seriesId}/metadata/{Uri.EscapeDataString(name)}")
        {
            Content = new StringContent(value, Encoding.UTF8, "text/plain"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw OrthancErrors.FromResponse(Url, response.StatusCode, text, metadata: true);
        }
    }

    /// <summary>Whether Orthanc accepts <paramref name="name"/> as series metadata, asked without touching any series.</summary>
    public async ValueTask<MetadataDeclaration> ProbeMetadataAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"series/{ProbeSeriesId}/metadata/{Uri.EscapeDataString(name)}")
        {
            Content = new StringContent("", Encoding.UTF8, "text/plain"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (OrthancErrors.IsUnknownResource(response.StatusCode, text) || response.IsSuccessStatusCode)
        {
            return MetadataDeclaration.Declared;
        }

        var error = OrthancErrors.FromResponse(Url, response.StatusCode, text, metadata: true);
        return error.Code == OrthancErrorCodes.MetadataNotDeclared
            ? response.StatusCode == HttpStatusCode.Forbidden ? MetadataDeclaration.Reserved : MetadataDeclaration.NotDeclared
            : throw error;
    }

    public async ValueTask AddLabelAsync(string seriesId, string label, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"series/{seriesId}/labels/{Uri.EscapeDataString(label)}")
        {
            Content = new StringContent("", Encoding.UTF8, "text/plain"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw OrthancErrors.FromResponse(Url, response.StatusCode, text);
        }
    }

    /// <summary>GETs JSON; <see langword="null"/> for 404 of an unknown resource.</summary>
    private async ValueTask<JsonDocument?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw OrthancErrors.FromResponse(Url, response.StatusCode, text);
        }

        return Parse(text);
    }

    private JsonDocument Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new OrthancException($"Orthanc at {Url} answered with something that is not JSON.", ex);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, string? relativePath = null)
    {
        var client = factory.CreateClient(HttpClientName);
        if (client.BaseAddress is null)
        {
            throw OrthancErrors.NotConfigured();
        }

        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (FindSourceError(ex) is { } source)
        {
            throw OrthancErrors.FileUnreadable(source, relativePath ?? source.RelativePath ?? "");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            // A bare SocketException too: .NET 10's connection pool asks a new socket for its peer's address outside the
            // try that wraps connect failures, so a connection Orthanc resets as it opens (while it stops) surfaced as
            // "Transport endpoint is not connected" and failed the whole push instead of being retried.
            throw OrthancErrors.FromTransport(Url, ex);
        }
    }

    private static FileSourceException? FindSourceError(Exception ex)
    {
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
        {
            if (e is FileSourceException fs)
            {
                return fs;
            }
        }

        return null;
    }
}
