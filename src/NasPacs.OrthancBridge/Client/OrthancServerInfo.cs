using System.Globalization;

namespace NasPacs.OrthancBridge;

/// <summary>What <c>GET /system</c> says about the server, and what that allows.</summary>
/// <param name="Version">Orthanc's version (<c>1.10.1</c>, or <c>mainline</c> for a development build).</param>
/// <param name="Name">The server's configured name.</param>
/// <param name="ApiVersion">The REST API version.</param>
public sealed record OrthancServerInfo(string Version, string? Name, int? ApiVersion)
{
    /// <summary>Labels arrived in Orthanc 1.12.0; older servers silently ignore label queries.</summary>
    public bool SupportsLabels => AtLeast(1, 12, 0);

    /// <summary>Whether <see cref="Version"/> is at least <paramref name="major"/>.<paramref name="minor"/>.<paramref name="patch"/>; a <c>mainline</c> build counts as newest.</summary>
    public bool AtLeast(int major, int minor, int patch)
    {
        if (string.Equals(Version, "mainline", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var parts = Version.Split('.', '-', '+');
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (i >= parts.Length || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                if (i == 0)
                {
                    return false;
                }

                numbers[i] = 0;
            }
        }

        return (numbers[0], numbers[1], numbers[2]).CompareTo((major, minor, patch)) >= 0;
    }
}
