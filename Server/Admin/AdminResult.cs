namespace IdentityServer.Admin;

/// <summary>
/// What an admin service answers: the API turns each case into a status and a ProblemDetails, the console
/// into a message on the page. Nothing in it is a secret except a new client secret, shown once.
/// </summary>
internal abstract record AdminResult<T>
{
    internal sealed record Done(T Value) : AdminResult<T>;

    internal sealed record NotFound : AdminResult<T>;

    /// <summary>The input is wrong; each key names a field of the request body.</summary>
    internal sealed record Invalid(IDictionary<string, string[]> Errors) : AdminResult<T>;

    /// <summary>Configuration declares this entity: it is edited there (<paramref name="Setting"/>) and restarted, not here.</summary>
    internal sealed record ManagedByConfiguration(string Setting) : AdminResult<T>;

    /// <summary>The write clashes with what exists (a client id or user name already taken).</summary>
    internal sealed record Conflict(string Detail) : AdminResult<T>;

    public static AdminResult<T> Invalidate(string field, string message) => new Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
