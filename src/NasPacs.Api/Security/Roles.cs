namespace NasPacs.Api.Security;

/// <summary>The three roles. Each includes the rights of the ones below it: admin ⊃ operator ⊃ viewer.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    public static bool IsValid(string? role) => role is Admin or Operator or Viewer;

    /// <summary>The roles that satisfy <paramref name="access"/>.</summary>
    public static string[] Granting(Access access) => access switch
    {
        Access.Viewer => [Viewer, Operator, Admin],
        Access.Operator => [Operator, Admin],
        Access.Admin => [Admin],
        _ => [],
    };
}

/// <summary>Who may call a route. The authorization policy of each signed-in level has the level's name.</summary>
internal enum Access
{
    Anonymous,
    Viewer,
    Operator,
    Admin,
}
