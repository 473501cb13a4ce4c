using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Users;

/// <summary><c>/admin/api/users</c>: search, read, create, update, lock, unlock, reset 2FA, force a password reset, delete.</summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("users").WithTags("Users");
        users.MapGet("", SearchAsync).RequireAuthorization(AdminPolicies.Read).WithName("SearchUsers");
        users.MapGet("{id}", ReadAsync).RequireAuthorization(AdminPolicies.Read).WithName("GetUser").ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("", CreateAsync).RequireAuthorization(AdminPolicies.Write).WithName("CreateUser")
            .Accepts<UserInput>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPut("{id}", UpdateAsync).RequireAuthorization(AdminPolicies.Write).WithName("UpdateUser")
            .Accepts<UserInput>("application/json").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("{id}", DeleteAsync).RequireAuthorization(AdminPolicies.Write).WithName("DeleteUser")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("{id}/lock", (string id, HttpContext context, AdminUsers service) => ActAsync(service.LockAsync, id, context))
            .RequireAuthorization(AdminPolicies.Write).WithName("LockUser").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("{id}/unlock", (string id, HttpContext context, AdminUsers service) => ActAsync(service.UnlockAsync, id, context))
            .RequireAuthorization(AdminPolicies.Write).WithName("UnlockUser").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("{id}/reset-2fa", (string id, HttpContext context, AdminUsers service) => ActAsync(service.ResetTwoFactorAsync, id, context))
            .RequireAuthorization(AdminPolicies.Write).WithName("ResetUserTwoFactor").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("{id}/force-password-reset", (string id, HttpContext context, AdminUsers service) => ActAsync(service.ForcePasswordResetAsync, id, context))
            .RequireAuthorization(AdminPolicies.Write).WithName("ForceUserPasswordReset").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<Page<UserView>>, ValidationProblem>> SearchAsync(
        string? page, string? pageSize, string? q, AdminUsers users, IOptions<AdminOptions> options, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors))
        {
            return AdminProblems.Invalid(errors);
        }

        return TypedResults.Ok(await users.SearchAsync(request, ct));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> ReadAsync(string id, AdminUsers users, CancellationToken ct) =>
        await users.FindAsync(id, ct) is { } user ? TypedResults.Ok(user) : AdminProblems.NotFound($"user with the id '{id}'");

    private static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, AdminUsers users)
    {
        var (input, problem) = await AdminJson.ReadAsync<UserInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        return await users.CreateAsync(input!, AdminCallers.Current(context), context.RequestAborted) switch
        {
            AdminResult<UserView>.Done done => TypedResults.Created($"/admin/api/users/{Uri.EscapeDataString(done.Value.Id)}", done.Value),
            AdminResult<UserView>.Invalid invalid => AdminProblems.Invalid(invalid.Errors),
            AdminResult<UserView>.Conflict conflict => AdminProblems.Conflict(conflict.Detail),
            _ => AdminProblems.Conflict("The account could not be created."),
        };
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, HttpContext context, AdminUsers users)
    {
        var (input, problem) = await AdminJson.ReadAsync<UserInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (input!.UserName is { } named && named != (await users.FindAsync(id, context.RequestAborted))?.UserName)
        {
            return AdminProblems.Invalid(new Dictionary<string, string[]> { ["userName"] = ["A user name is not changed here; leave it out."] });
        }

        return AdminProblems.From(await users.UpdateAsync(id, input, AdminCallers.Current(context), context.RequestAborted), $"user with the id '{id}'");
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, AdminUsers users) =>
        AdminProblems.From(await users.DeleteAsync(id, AdminCallers.Current(context), context.RequestAborted), $"user with the id '{id}'");

    private static async Task<Results<Ok<UserActionResult>, ValidationProblem, ProblemHttpResult>> ActAsync(
        Func<string, AdminActor, CancellationToken, Task<AdminResult<UserActionResult>>> action, string id, HttpContext context) =>
        AdminProblems.From(await action(id, AdminCallers.Current(context), context.RequestAborted), $"user with the id '{id}'");
}
