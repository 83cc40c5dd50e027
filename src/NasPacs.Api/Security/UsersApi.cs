using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Security;

/// <summary>Admin routes: users (create, set role, disable, reset password) and the audit log.</summary>
internal static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users");
        users.MapGet("", (UserStore store) => TypedResults.Ok(store.List())).WithName("ListUsers");
        users.MapPost("", Create).WithName("CreateUser");
        users.MapPut("/{id:long}", Update).WithName("UpdateUser").WithSummary("Sets a user's role and/or disables or enables them.");
        users.MapPost("/{id:long}/password", ResetPassword).WithName("ResetPassword");

        app.MapGet("/api/audit", ReadAudit).WithTags("Audit").WithName("ReadAudit").WithSummary("The audit log, newest first, paged.");
        return app;
    }

    private static Results<Created<UserInfo>, ValidationProblem, ProblemHttpResult> Create(CreateUserRequest request, UserStore store, HttpContext context)
    {
        try
        {
            var user = store.Create(request.Name, request.Role, request.Password);
            AuditTarget.Add(context, string.Create(CultureInfo.InvariantCulture, $"user={user.Id} role={user.Role}"));
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/users/{user.Id}"), user);
        }
        catch (SecurityRequestException ex)
        {
            return ex.IsConflict ? SecurityProblems.Conflict(ex) : SecurityProblems.Invalid(ex);
        }
    }

    private static Results<Ok<UserInfo>, NotFound, ValidationProblem, ProblemHttpResult> Update(long id, UpdateUserRequest request, UserStore store, HttpContext context)
    {
        try
        {
            var user = store.Update(id, request.Role, request.Disabled);
            if (user is null)
            {
                return TypedResults.NotFound();
            }

            AuditTarget.Add(context, $"role={user.Role} disabled={(user.Disabled ? "yes" : "no")}");
            return TypedResults.Ok(user);
        }
        catch (SecurityRequestException ex)
        {
            return ex.IsConflict ? SecurityProblems.Conflict(ex) : SecurityProblems.Invalid(ex);
        }
    }

    private static Results<NoContent, NotFound, ValidationProblem> ResetPassword(long id, PasswordRequest request, UserStore store)
    {
        try
        {
            return store.SetPassword(id, request.Password) ? TypedResults.NoContent() : TypedResults.NotFound();
        }
        catch (SecurityRequestException ex)
        {
            return SecurityProblems.Invalid(ex);
        }
    }

    private static Results<Ok<AuditPage>, ValidationProblem> ReadAudit(AuditLog audit, string? action, string? page, string? pageSize)
    {
        var errors = new RequestErrors();
        var paging = errors.Paging(page, pageSize);
        if (action is { Length: > 100 })
        {
            errors.Add("action", "action must be at most 100 characters.");
        }

        return errors.Any ? errors.Problem() : TypedResults.Ok(audit.Read(action, paging.Offset, paging.Limit));
    }
}

internal sealed record CreateUserRequest(string? Name, string? Role, string? Password);

internal sealed record UpdateUserRequest(string? Role, bool? Disabled);

internal sealed record PasswordRequest(string? Password);
