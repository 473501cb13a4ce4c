using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Scopes;

/// <summary><c>/admin/api/scopes</c>: list, read, create, update, delete.</summary>
internal static class ScopeEndpoints
{
    public static void MapScopeEndpoints(this RouteGroupBuilder api)
    {
        var scopes = api.MapGroup("scopes").WithTags("Scopes");
        scopes.MapGet("", ListAsync).RequireAuthorization(AdminPolicies.Read).WithName("ListScopes");
        scopes.MapGet("{name}", ReadAsync).RequireAuthorization(AdminPolicies.Read).WithName("GetScope").ProducesProblem(StatusCodes.Status404NotFound);
        scopes.MapPost("", CreateAsync).RequireAuthorization(AdminPolicies.Write).WithName("CreateScope")
            .Accepts<ScopeInput>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        scopes.MapPut("{name}", UpdateAsync).RequireAuthorization(AdminPolicies.Write).WithName("UpdateScope")
            .Accepts<ScopeInput>("application/json").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        scopes.MapDelete("{name}", DeleteAsync).RequireAuthorization(AdminPolicies.Write).WithName("DeleteScope")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<Page<ScopeView>>, ValidationProblem>> ListAsync(
        string? page, string? pageSize, string? q, AdminScopes scopes, IOptions<AdminOptions> options, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors))
        {
            return AdminProblems.Invalid(errors);
        }

        return TypedResults.Ok(await scopes.ListAsync(request, ct));
    }

    private static async Task<Results<Ok<ScopeView>, ProblemHttpResult>> ReadAsync(string name, AdminScopes scopes, CancellationToken ct) =>
        await scopes.FindAsync(name, ct) is { } scope ? TypedResults.Ok(scope) : AdminProblems.NotFound($"scope '{name}'");

    private static async Task<Results<Created<ScopeView>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, AdminScopes scopes)
    {
        var (input, problem) = await AdminJson.ReadAsync<ScopeInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        return await scopes.CreateAsync(input!, AdminCallers.Current(context), context.RequestAborted) switch
        {
            AdminResult<ScopeView>.Done done => TypedResults.Created($"/admin/api/scopes/{Uri.EscapeDataString(done.Value.Name)}", done.Value),
            AdminResult<ScopeView>.Invalid invalid => AdminProblems.Invalid(invalid.Errors),
            AdminResult<ScopeView>.Conflict conflict => AdminProblems.Conflict(conflict.Detail),
            _ => AdminProblems.Conflict("The scope could not be created."),
        };
    }

    private static async Task<Results<Ok<ScopeView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string name, HttpContext context, AdminScopes scopes)
    {
        var (input, problem) = await AdminJson.ReadAsync<ScopeInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (input!.Name is { } named && named != name)
        {
            return AdminProblems.Invalid(new Dictionary<string, string[]> { ["name"] = ["A scope's name cannot be changed; leave it out or repeat the address's."] });
        }

        return AdminProblems.From(await scopes.UpdateAsync(name, input, AdminCallers.Current(context), context.RequestAborted), $"scope '{name}'");
    }

    private static async Task<Results<Ok<ScopeView>, ValidationProblem, ProblemHttpResult>> DeleteAsync(string name, HttpContext context, AdminScopes scopes) =>
        AdminProblems.From(await scopes.DeleteAsync(name, AdminCallers.Current(context), context.RequestAborted), $"scope '{name}'");
}
