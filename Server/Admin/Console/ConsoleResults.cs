using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityServer.Admin.Console;

/// <summary>Turns a shared admin service's refusal into what a page shows: field errors, a status and a sentence.</summary>
internal static class ConsoleResults
{
    /// <summary>The status for the page and the message to show; field errors go to <paramref name="modelState"/> under <paramref name="prefix"/>.</summary>
    public static (int Status, string Message) Describe<T>(AdminResult<T> result, ModelStateDictionary modelState, string prefix)
    {
        switch (result)
        {
            case AdminResult<T>.Invalid invalid:
                foreach (var (field, messages) in invalid.Errors)
                {
                    var key = field.Length > 0 ? $"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}" : prefix;
                    foreach (var message in messages)
                    {
                        modelState.AddModelError(key, char.ToUpperInvariant(message[0]) + message[1..]);
                    }
                }

                return (StatusCodes.Status400BadRequest, "Nothing was saved: correct the fields marked below.");
            case AdminResult<T>.NotFound:
                return (StatusCodes.Status404NotFound, "It does not exist (any more).");
            case AdminResult<T>.ManagedByConfiguration managed:
                return (StatusCodes.Status409Conflict, $"Configuration declares this ({managed.Setting}): change it there and restart the server.");
            case AdminResult<T>.Conflict conflict:
                return (StatusCodes.Status409Conflict, conflict.Detail);
            default:
                return (StatusCodes.Status200OK, "Done.");
        }
    }
}
