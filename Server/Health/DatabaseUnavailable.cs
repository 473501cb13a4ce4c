using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;

namespace IdentityServer.Health;

/// <summary>
/// While the database is down (after EF Core's brief retries), requests fail fast with 503 and a clear
/// message — JSON for the protocol endpoints, text elsewhere — never a stack trace or a hang.
/// </summary>
internal sealed partial class DatabaseUnavailable(RequestDelegate next, ILogger<DatabaseUnavailable> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsDatabaseOutage(e) && !context.Response.HasStarted)
        {
            LogOutage(e.GetType().Name, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/connect") || context.Request.Path.StartsWithSegments("/.well-known"))
            {
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    ["error"] = "temporarily_unavailable",
                    ["error_description"] = "The server cannot reach its database right now. Try again in a few seconds.",
                });
                return;
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The service is temporarily unavailable. Please try again in a few seconds.");
        }
    }

    private static bool IsDatabaseOutage(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DbException or RetryLimitExceededException or TimeoutException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({Exception}) while serving {Path}; answered 503")]
    private partial void LogOutage(string exception, string path);
}
