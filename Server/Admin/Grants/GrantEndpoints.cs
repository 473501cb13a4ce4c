using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Grants;

/// <summary><c>/admin/api/grants</c>: authorizations by person (<c>userId</c>) or by client (<c>clientId</c>), and their revocation.</summary>
internal static class GrantEndpoints
{
    public static void MapGrantEndpoints(this RouteGroupBuilder api)
    {
        var grants = api.MapGroup("grants").WithTags("Grants");
        grants.MapGet("", ListAsync).RequireAuthorization(AdminPolicies.Read).WithName("ListGrants");
        grants.MapDelete("{id}", RevokeAsync).RequireAuthorization(AdminPolicies.Write).WithName("RevokeGrant").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<Page<GrantView>>, ValidationProblem>> ListAsync(
        string? userId, string? clientId, string? page, string? pageSize, string? q, AdminGrants grants, IOptions<AdminOptions> options, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors))
        {
            return AdminProblems.Invalid(errors);
        }

        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(clientId))
        {
            return AdminProblems.Invalid(new Dictionary<string, string[]> { ["userId"] = ["Name a person (userId) or a client (clientId), or both."] });
        }

        return TypedResults.Ok(await grants.ListAsync(userId, clientId, request, ct));
    }

    private static async Task<Results<Ok<GrantsRevoked>, ValidationProblem, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, AdminGrants grants) =>
        AdminProblems.From(await grants.RevokeAsync(id, AdminCallers.Current(context), context.RequestAborted), $"grant with the id '{id}'");
}
