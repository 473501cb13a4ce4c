using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Clients;

/// <summary><c>/admin/api/clients</c>: list, read, create, update, rotate the secret, delete.</summary>
internal static class ClientEndpoints
{
    public static void MapClientEndpoints(this RouteGroupBuilder api)
    {
        var clients = api.MapGroup("clients").WithTags("Clients");
        clients.MapGet("", ListAsync).RequireAuthorization(AdminPolicies.Read).WithName("ListClients");
        clients.MapGet("{clientId}", ReadAsync).RequireAuthorization(AdminPolicies.Read).WithName("GetClient")
            .ProducesProblem(StatusCodes.Status404NotFound);
        clients.MapPost("", CreateAsync).RequireAuthorization(AdminPolicies.Write).WithName("CreateClient")
            .Accepts<ClientInput>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapPut("{clientId}", UpdateAsync).RequireAuthorization(AdminPolicies.Write).WithName("UpdateClient")
            .Accepts<ClientInput>("application/json").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapPost("{clientId}/secret", RotateSecretAsync).RequireAuthorization(AdminPolicies.Write).WithName("RotateClientSecret")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapDelete("{clientId}", DeleteAsync).RequireAuthorization(AdminPolicies.Write).WithName("DeleteClient")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<Page<ClientView>>, ValidationProblem>> ListAsync(
        string? page, string? pageSize, string? q, AdminClients clients, IOptions<AdminOptions> options, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors))
        {
            return AdminProblems.Invalid(errors);
        }

        return TypedResults.Ok(await clients.ListAsync(request, ct));
    }

    private static async Task<Results<Ok<ClientView>, ProblemHttpResult>> ReadAsync(string clientId, AdminClients clients, CancellationToken ct) =>
        await clients.FindAsync(clientId, ct) is { } client ? TypedResults.Ok(client) : AdminProblems.NotFound($"client '{clientId}'");

    private static async Task<Results<Created<ClientCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, AdminClients clients)
    {
        var (input, problem) = await AdminJson.ReadAsync<ClientInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        return await clients.CreateAsync(input!, AdminCallers.Current(context), context.RequestAborted) switch
        {
            AdminResult<ClientCreated>.Done done => TypedResults.Created($"/admin/api/clients/{Uri.EscapeDataString(done.Value.Client.ClientId)}", done.Value),
            AdminResult<ClientCreated>.Invalid invalid => AdminProblems.Invalid(invalid.Errors),
            var other => Problem(other),
        };
    }

    private static async Task<Results<Ok<ClientView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string clientId, HttpContext context, AdminClients clients)
    {
        var (input, problem) = await AdminJson.ReadAsync<ClientInput>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (input!.ClientId is { } named && named != clientId)
        {
            return AdminProblems.Invalid(new Dictionary<string, string[]> { ["clientId"] = ["A client id cannot be changed; leave it out or repeat the address's."] });
        }

        return AdminProblems.From(await clients.UpdateAsync(clientId, input, AdminCallers.Current(context), context.RequestAborted), $"client '{clientId}'");
    }

    private static async Task<Results<Ok<ClientCreated>, ValidationProblem, ProblemHttpResult>> RotateSecretAsync(string clientId, HttpContext context, AdminClients clients) =>
        AdminProblems.From(await clients.RotateSecretAsync(clientId, AdminCallers.Current(context), context.RequestAborted), $"client '{clientId}'");

    private static async Task<Results<Ok<ClientView>, ValidationProblem, ProblemHttpResult>> DeleteAsync(string clientId, HttpContext context, AdminClients clients) =>
        AdminProblems.From(await clients.DeleteAsync(clientId, AdminCallers.Current(context), context.RequestAborted), $"client '{clientId}'");

    private static ProblemHttpResult Problem<T>(AdminResult<T> result) => result switch
    {
        AdminResult<T>.ManagedByConfiguration managed => AdminProblems.ManagedByConfiguration(managed.Setting),
        AdminResult<T>.Conflict conflict => AdminProblems.Conflict(conflict.Detail),
        _ => AdminProblems.NotFound("such client"),
    };
}
