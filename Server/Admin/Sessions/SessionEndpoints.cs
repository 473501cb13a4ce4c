using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Sessions;

/// <summary><c>/admin/api/users/{id}/sessions</c>: list a person's sessions, end one, end all.</summary>
internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("users/{id}/sessions").WithTags("Sessions");
        sessions.MapGet("", ListAsync).RequireAuthorization(AdminPolicies.Read).WithName("ListUserSessions").ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapDelete("{handle}", EndAsync).RequireAuthorization(AdminPolicies.Write).WithName("EndUserSession").ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapDelete("", EndAllAsync).RequireAuthorization(AdminPolicies.Write).WithName("EndAllUserSessions").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<Page<SessionView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string id, string? page, string? pageSize, string? q, AdminSessions sessions, IOptions<AdminOptions> options, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors))
        {
            return AdminProblems.Invalid(errors);
        }

        return AdminProblems.From(await sessions.ListAsync(id, request, ct), $"user with the id '{id}'");
    }

    private static async Task<Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult>> EndAsync(string id, string handle, HttpContext context, AdminSessions sessions) =>
        Ended(await sessions.EndAsync(id, handle, AdminCallers.Current(context), context.RequestAborted), $"session '{handle}' of the user with the id '{id}'");

    private static async Task<Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult>> EndAllAsync(string id, HttpContext context, AdminSessions sessions) =>
        Ended(await sessions.EndAllAsync(id, AdminCallers.Current(context), context.RequestAborted), $"user with the id '{id}'");

    private static Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult> Ended(AdminResult<int> result, string what) =>
        result is AdminResult<int>.Done done ? TypedResults.Ok(new SessionsEnded(done.Value)) : AdminProblems.NotFound(what);
}
