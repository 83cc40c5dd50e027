using System.Net;
using NasPacs.Abstractions.Errors;
using NasPacs.OrthancBridge.Client;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>Orthanc's answers, as 1.10.1 writes them, become classified errors with a suggestion.</summary>
public sealed class ClassificationTests
{
    private static readonly Uri Url = new("http://orthanc:8042/");

    private static string Body(int status, string message) => $$"""{ "HttpStatus": 0, "OrthancError": "{{message}}", "OrthancStatus": {{status}} }""";

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "", null, false, OrthancErrorCodes.AuthenticationFailed, ErrorCategory.Authentication, false)]
    [InlineData(HttpStatusCode.BadRequest, "15|Bad file format", "a.dcm", false, OrthancErrorCodes.InstanceRejected, ErrorCategory.Dicom, false)]
    [InlineData(HttpStatusCode.NotFound, "21|Inexistent tag", "a.dcm", false, OrthancErrorCodes.InstanceRejected, ErrorCategory.Dicom, false)]
    [InlineData(HttpStatusCode.NotFound, "7|Accessing an inexistent item", null, true, OrthancErrorCodes.MetadataNotDeclared, ErrorCategory.Configuration, false)]
    [InlineData(HttpStatusCode.Forbidden, "", null, true, OrthancErrorCodes.MetadataNotDeclared, ErrorCategory.Configuration, false)]
    [InlineData(HttpStatusCode.InsufficientStorage, "19|The storage area is full", "a.dcm", false, OrthancErrorCodes.StorageFull, ErrorCategory.System, false)]
    [InlineData(HttpStatusCode.InternalServerError, "14|Cannot write to file", "a.dcm", false, OrthancErrorCodes.StorageFull, ErrorCategory.System, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", null, false, OrthancErrorCodes.ServerError, ErrorCategory.System, true)]
    [InlineData(HttpStatusCode.NotFound, "", null, false, OrthancErrorCodes.UnexpectedResponse, ErrorCategory.System, false)]
    public void FromResponse_OrthancAnswer_IsClassified(HttpStatusCode status, string body, string? path, bool metadata, string code, ErrorCategory category, bool transient)
    {
        var parts = body.Split('|');
        var text = parts.Length == 2 ? Body(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]) : "";

        var ex = OrthancErrors.FromResponse(Url, status, text, path, metadata);

        Assert.Equal(code, ex.Code);
        Assert.Equal(category, ex.Category);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(path, ex.RelativePath);
        Assert.False(string.IsNullOrWhiteSpace(ex.Suggestion));
    }

    [Fact]
    public void IsUnknownResource_MetadataNameUnknown_IsNotAnUnknownResource()
    {
        Assert.True(OrthancErrors.IsUnknownResource(HttpStatusCode.NotFound, Body(17, "Unknown resource")));
        Assert.False(OrthancErrors.IsUnknownResource(HttpStatusCode.NotFound, Body(7, "Accessing an inexistent item")));
    }

    [Theory]
    [InlineData("1.10.1", false)]
    [InlineData("1.11.3", false)]
    [InlineData("1.12.0", true)]
    [InlineData("1.12.8", true)]
    [InlineData("2.0", true)]
    [InlineData("mainline", true)]
    [InlineData("garbage", false)]
    public void SupportsLabels_ByVersion(string version, bool expected)
        => Assert.Equal(expected, new OrthancServerInfo(version, null, null).SupportsLabels);

    [Theory]
    [InlineData("http://user:secret@orthanc:8042/", "must not contain a user name or password")]
    [InlineData("ftp://orthanc/", "absolute http")]
    public void Validate_BadUrl_NamesTheSetting(string url, string expected)
    {
        var result = new OrthancOptionsValidator().Validate(null, new OrthancOptions { Url = new Uri(url) });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("NasPacs:Orthanc:Url", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConcurrencyOutOfRange_NamesTheSetting()
    {
        var result = new OrthancOptionsValidator().Validate(null, new OrthancOptions { MaxConcurrency = 0, Label = "no spaces allowed" });

        Assert.Contains(result.Failures!, f => f.StartsWith("NasPacs:Orthanc:MaxConcurrency", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("NasPacs:Orthanc:Label", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_Succeed()
        => Assert.True(new OrthancOptionsValidator().Validate(null, new OrthancOptions()).Succeeded);
}
