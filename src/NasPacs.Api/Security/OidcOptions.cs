namespace NasPacs.Api.Security;

/// <summary>
/// Sign-in through a site's OpenID Connect identity provider, section <c>NasPacs:Security:Oidc</c>. Off unless
/// <see cref="Authority"/> is set. Authorization-code flow with PKCE; the provider's id_token names the user and carries
/// the claim <see cref="RoleClaim"/>, whose values <see cref="Roles"/> maps onto admin, operator or viewer.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Security:Oidc";

    /// <summary>The provider's issuer URL (its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>). Default none: OIDC off.</summary>
    public string? Authority { get; set; }

    /// <summary>This server's client id at the provider. Required when <see cref="Authority"/> is set.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client secret. From the environment (<c>NasPacs__Security__Oidc__ClientSecret</c>), a secret file or a
    /// <c>protected:</c> value only: a plain value in <c>appsettings.json</c> fails the start. Empty for a public client.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>What the sign-in page offers: "Sign in with {DisplayName}". Default "single sign-on"; at most 60 characters.</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The id_token claim that carries the user's groups or roles (a string or an array). Default <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the user in NasPacs (sessions, audit). Default <c>preferred_username</c>, then <c>email</c>, then <c>sub</c>.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>
    /// Role claim value → NasPacs role (<c>admin</c>, <c>operator</c> or <c>viewer</c>), e.g. <c>"pacs-admins": "admin"</c>.
    /// When several values match, the highest role wins. Default none.
    /// </summary>
    public Dictionary<string, string> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The role of a user none of whose claim values is mapped. Default empty: such a user is refused (with a page that
    /// says why), never silently made a viewer.
    /// </summary>
    public string DefaultRole { get; set; } = "";

    /// <summary>Scopes to ask for besides <c>openid</c>. Default <c>profile</c>.</summary>
    public List<string> Scopes { get; } = [];

    /// <summary>Refuse a provider whose metadata is not served over HTTPS. Default <see langword="true"/>; turn off only for a test provider on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether OIDC sign-in is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
