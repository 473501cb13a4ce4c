using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityServer.Pages;

/// <summary>
/// Headers every page people see carries: no framing, no inline script, no sniffing, no caching, no
/// referrer. A result filter that always runs, so an answer that never reaches a handler — a form refused by
/// the anti-forgery check, a 405 — carries them too.
/// </summary>
internal sealed class SecurityHeaders : IAlwaysRunResultFilter
{
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public void OnResultExecuting(ResultExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
