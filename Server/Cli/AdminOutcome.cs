using IdentityServer.Admin;

namespace IdentityServer.Cli;

/// <summary>The admin services' answers as a command line shows them: the value, or one line and a non-zero exit.</summary>
internal static class AdminOutcome
{
    /// <param name="what">What was asked for, for "No client with the id 'x'."</param>
    public static T Value<T>(AdminResult<T> result, string what) => result switch
    {
        AdminResult<T>.Done done => done.Value,
        AdminResult<T>.NotFound => throw NotFound(what),
        AdminResult<T>.Invalid invalid => throw new CliFailure(string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
        AdminResult<T>.ManagedByConfiguration managed => throw new CliFailure($"The {what} is declared in configuration: edit {managed.Setting} and restart the server."),
        AdminResult<T>.Conflict conflict => throw new CliFailure(conflict.Detail),
        _ => throw new CliFailure($"The {what} could not be changed."),
    };

    public static CliFailure NotFound(string what) => new($"No {what}.");
}
