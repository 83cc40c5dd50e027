using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>Checks <see cref="OidcOptions"/> at start-up; every message names the setting.</summary>
internal sealed class OidcOptionsValidator(IConfiguration configuration) : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var s = OidcOptions.Section;
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add($"{s}:Authority must be the provider's absolute http(s) URL (was {options.Authority}).");
        }
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
        {
            failures.Add($"{s}:Authority must use https (or set {s}:RequireHttpsMetadata to false for a test provider).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{s}:ClientId is required when {s}:Authority is set.");
        }

        if (string.IsNullOrWhiteSpace(options.DisplayName) || options.DisplayName.Length > 60)
        {
            failures.Add($"{s}:DisplayName must be 1 to 60 characters.");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaim))
        {
            failures.Add($"{s}:RoleClaim must name the claim that carries the user's roles or groups.");
        }

        foreach (var (value, role) in options.Roles)
        {
            if (!Roles.IsValid(role))
            {
                failures.Add($"{s}:Roles:{value} must be admin, operator or viewer (was {role}).");
            }
        }

        if (options.DefaultRole.Length > 0 && !Roles.IsValid(options.DefaultRole))
        {
            failures.Add($"{s}:DefaultRole must be empty (refuse unmapped users), admin, operator or viewer (was {options.DefaultRole}).");
        }

        if (PlainSecretInSettingsFile())
        {
            failures.Add($"{s}:ClientSecret must not be written in a settings file: set NasPacs__Security__Oidc__ClientSecret in the environment, a secret file, or a 'protected:' value (docs/security.md).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether a JSON settings file holds the client secret in clear (a <c>protected:</c> value is fine).</summary>
    private bool PlainSecretInSettingsFile()
        => configuration is IConfigurationRoot root
           && root.Providers.OfType<JsonConfigurationProvider>().Any(p =>
               p.TryGet($"{OidcOptions.Section}:ClientSecret", out var value)
               && !string.IsNullOrEmpty(value)
               && !value.StartsWith(Secrets.ProtectedPrefix, StringComparison.Ordinal));
}
