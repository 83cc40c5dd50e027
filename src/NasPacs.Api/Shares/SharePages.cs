using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using NasPacs.Abstractions.Indexing;
using NasPacs.Sharing;

namespace NasPacs.Api.Shares;

/// <summary>
/// The public pages of a link, rendered on the server. Every value is HTML-encoded; nothing about a link is shown unless
/// the sharer chose it; refused links of every kind get the same neutral page.
/// </summary>
internal static class SharePages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The same page for unknown, malformed, expired, revoked and exhausted links.</summary>
    public static string Unavailable() => Page(
        "Link not available",
        "<h1>This link is not available</h1><p>It may have expired, been revoked, reached its download limit, or been copied incompletely.</p><p class=\"muted\">Ask the person who sent it for a new link.</p>");

    public static string TooMany() => Page(
        "Too many attempts",
        "<h1>Too many attempts</h1><p>Please wait a while before trying again.</p>");

    public static string Unreachable() => Page(
        "Temporarily unavailable",
        "<h1>The files cannot be read right now</h1><p>The storage holding them is not reachable. Please try again later.</p>");

    public static string BadForm() => Page(
        "Form expired",
        "<h1>The form has expired</h1><p>Please go back, reload the page and try again.</p>");

    public static string Password(string token, string requestToken, string fieldName, bool wrong) => Page(
        "Password required",
        "<h1>This link is protected by a password</h1>"
        + (wrong ? "<p class=\"alert\" role=\"alert\">The password is not correct.</p>" : "")
        + $"<form method=\"post\" action=\"/s/{Html.Encode(token)}\">"
        + $"<input type=\"hidden\" name=\"{Html.Encode(fieldName)}\" value=\"{Html.Encode(requestToken)}\">"
        + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required autofocus>"
        + "<button type=\"submit\">Open</button></form>");

    public static string Landing(string token, ShareInfo share, SeriesSummary? series)
    {
        var body = new StringBuilder("<h1>Shared imaging series</h1>");
        if (share.Note is { Length: > 0 } note)
        {
            body.Append("<p class=\"note\">").Append(Html.Encode(note)).Append("</p>");
        }

        if (series is not null && (share.ShowPatient || share.ShowDetails))
        {
            body.Append("<dl>");
            if (share.ShowPatient)
            {
                Row(body, "Patient", series.PatientName?.Replace('^', ' ').Trim());
                Row(body, "Patient ID", series.PatientId);
            }

            if (share.ShowDetails)
            {
                Row(body, "Study date", DicomDate(series.StudyDate));
                Row(body, "Study", series.StudyDescription);
                Row(body, "Series", series.SeriesDescription);
                Row(body, "Series number", series.SeriesNumber);
                Row(body, "Modality", series.Modality);
                Row(body, "Files", series.FileCount.ToString("N0", CultureInfo.InvariantCulture));
                Row(body, "Size", $"{series.TotalBytes / 1e6:N1} MB");
            }

            body.Append("</dl>");
        }

        body.Append($"<p><a class=\"button\" href=\"/s/{Html.Encode(token)}/download\" download>Download (zip)</a></p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">This link expires {share.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.")
            .Append(share.MaxDownloads is { } max ? $" Downloads left: {Math.Max(0, max - share.Downloads)}." : "")
            .Append("</p>");
        return Page("Shared series", body.ToString());
    }

    public static async Task WriteAsync(HttpContext context, string html, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response);
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Headers of every public response: not cached, not indexed, no Referer (the token is in the address), only the
    /// share pages' own style sheet and same-origin forms.
    /// </summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static void Row(StringBuilder body, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            body.Append("<dt>").Append(label).Append("</dt><dd>").Append(Html.Encode(value)).Append("</dd>");
        }
    }

    private static string? DicomDate(string? value)
        => value is { Length: 8 } && value.All(char.IsAsciiDigit) ? $"{value[..4]}-{value[4..6]}-{value[6..]}" : value;

    private static string Page(string title, string body)
        => $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        + $"<meta name=\"robots\" content=\"noindex\"><title>{title} · NasPacs</title><link rel=\"stylesheet\" href=\"/css/share-page.css\"></head><body><main>{body}</main></body></html>";
}
