using System.Net;

namespace NasPacs.Api.Tests.Shares;

/// <summary>The public routes' rate limit, on a server of its own (the limit is per client and the test client has one address).</summary>
public sealed class ShareRateLimitTests
{
    [Fact]
    public async Task Landing_MoreRequestsThanPerMinute_Gets429WithRetryAfter()
    {
        using var factory = new ApiFactory(SharesFixture.Settings(pagesPerMinute: 3));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/s/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzw");
            statuses.Add(response.StatusCode);
            if (i == 3)
            {
                Assert.True(response.Headers.RetryAfter is not null, "no Retry-After");
            }
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
    }
}
