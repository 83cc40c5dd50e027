using NasPacs.Abstractions.Files;
using NasPacs.OrthancBridge.Client;

namespace NasPacs.OrthancBridge.Push;

/// <summary>Streams the file from the NAS into <c>POST /instances</c>; Orthanc stores its own copy.</summary>
internal sealed class CopyPushStrategy(OrthancClient client) : IPushStrategy
{
    public const string StrategyName = "copy";

    public string Name => StrategyName;

    public string? Unsupported(OrthancServerInfo server) => null;

    public async ValueTask<InstancePushOutcome> PushAsync(SeriesOrigin origin, PlannedInstance instance, CancellationToken cancellationToken)
    {
        Stream body;
        try
        {
            body = await origin.Files.OpenReadAsync(instance.RelativePath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileSourceException ex)
        {
            throw OrthancErrors.FileUnreadable(ex, instance.RelativePath);
        }

        await using (body.ConfigureAwait(false))
        {
            return await client.UploadAsync(body, instance.RelativePath, cancellationToken).ConfigureAwait(false);
        }
    }
}
