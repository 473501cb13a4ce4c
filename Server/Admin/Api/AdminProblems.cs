using Microsoft.AspNetCore.Http.HttpResults;

namespace IdentityServer.Admin.Api;

/// <summary>The admin API's errors as RFC 9457 problem details, each with a <c>type</c> a client can branch on.</summary>
internal static class AdminProblems
{
    public const string ManagedByConfigurationType = "urn:identityserver:admin:managed-by-configuration";
    public const string ConflictType = "urn:identityserver:admin:conflict";
    public const string NotFoundType = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5";

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, type: NotFoundType, title: "Not Found", detail: $"There is no {what}.");

    /// <summary>
    /// A write to something configuration declares: it would be undone at the next start, so it is refused, and the
    /// answer says where the entity is declared.
    /// </summary>
    public static ProblemHttpResult ManagedByConfiguration(string setting) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: ManagedByConfigurationType, title: "Managed by configuration",
            detail: $"This entity is declared in configuration under {setting} (appsettings*.json or environment variables such as {setting.Replace(":", "__", StringComparison.Ordinal)}__0__...). "
                + "Change it there and restart the server; the API cannot change or delete it.",
            extensions: new Dictionary<string, object?> { ["setting"] = setting });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: ConflictType, title: "Conflict", detail: detail);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    /// <summary>The HTTP answer for a service's result; <paramref name="what"/> names the entity for a 404.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> From<T>(AdminResult<T> result, string what) => result switch
    {
        AdminResult<T>.Done done => TypedResults.Ok(done.Value),
        AdminResult<T>.Invalid invalid => Invalid(invalid.Errors),
        AdminResult<T>.ManagedByConfiguration managed => ManagedByConfiguration(managed.Setting),
        AdminResult<T>.Conflict conflict => Conflict(conflict.Detail),
        _ => NotFound(what),
    };
}
