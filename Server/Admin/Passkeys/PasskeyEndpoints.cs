using IdentityServer.Admin.Api;
using IdentityServer.Passkeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdentityServer.Admin.Passkeys;

/// <summary><c>/admin/api/users/{id}/passkeys</c>: list a person's passkeys, remove one.</summary>
internal static class PasskeyEndpoints
{
    public static void MapPasskeyEndpoints(this RouteGroupBuilder api)
    {
        var passkeys = api.MapGroup("users/{id}/passkeys").WithTags("Passkeys");
        passkeys.MapGet("", ListAsync).RequireAuthorization(AdminPolicies.Read).WithName("ListUserPasskeys").ProducesProblem(StatusCodes.Status404NotFound);
        passkeys.MapDelete("{passkeyId}", RemoveAsync).RequireAuthorization(AdminPolicies.Write).WithName("RemoveUserPasskey")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<Page<PasskeyView>>, ProblemHttpResult>> ListAsync(string id, AdminPasskeys passkeys) =>
        await passkeys.ListAsync(id) is AdminResult<Page<PasskeyView>>.Done done ? TypedResults.Ok(done.Value) : AdminProblems.NotFound($"user with the id '{id}'");

    private static async Task<Results<Ok<PasskeyView>, ValidationProblem, ProblemHttpResult>> RemoveAsync(string id, string passkeyId, HttpContext context, AdminPasskeys passkeys) =>
        AdminProblems.From(await passkeys.RemoveAsync(id, passkeyId, AdminCallers.Current(context), context.RequestAborted),
            $"passkey '{passkeyId}' of the user with the id '{id}'");
}
