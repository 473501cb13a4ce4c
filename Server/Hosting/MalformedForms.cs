namespace IdentityServer.Hosting;

/// <summary>
/// Reads a form body before anything else does and answers 400 when it cannot be read: a percent-escape or
/// key over ASP.NET Core's limits, too many fields, a broken multipart body, or a Content-Type that starts
/// like a form but does not parse. Otherwise the first reader — OpenIddict's request extraction, the rate
/// limiter, model binding or a page — throws, and the client gets a 500 (found by the fuzz test).
/// </summary>
internal sealed class MalformedForms(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (LooksLikeForm(request.ContentType))
        {
            string? problem = null;
            if (!request.HasFormContentType)
            {
                problem = "The Content-Type header is not a valid form content type.";
            }
            else
            {
                try
                {
                    await request.ReadFormAsync(context.RequestAborted);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    problem = "The form in the request body could not be read.";
                }
            }

            if (problem is not null)
            {
                await RejectAsync(context, problem);
                return;
            }
        }

        await next(context);
    }

    /// <summary>What OpenIddict and the pages take for a form (they read it whenever the type starts so).</summary>
    private static bool LooksLikeForm(string? contentType) =>
        contentType is not null
        && (contentType.TrimStart().StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || contentType.TrimStart().StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase));

    private static async Task RejectAsync(HttpContext context, string problem)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/connect"))
        {
            await response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = problem });
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(problem);
    }
}
