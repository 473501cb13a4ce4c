using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Primitives;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Writes the response_mode=form_post page (the default of Microsoft's OpenID Connect handler) in place of
/// OpenIddict's, whose inline auto-submit script the pages' Content-Security-Policy blocks. The form submits
/// itself with a script served from this server (<c>wwwroot/js/form-post.js</c>), which is all the page's own
/// policy allows; without script, a button does it. Every value is HTML-encoded.
/// </summary>
internal sealed class FormPostResponse(HtmlEncoder encoder) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public const string ScriptPath = "/js/form-post.js";

    /// <summary>Scripts from this server only; nothing else may load, frame the page or change its base URL.</summary>
    public const string Policy = "default-src 'none'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static OpenIddictServerHandlerDescriptor Replaced { get; } = OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<FormPostResponse>()
            .SetOrder(Replaced.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        if (string.IsNullOrEmpty(context.RedirectUri) || context.ResponseMode != ResponseModes.FormPost
            || context.Transaction.GetHttpRequest() is not { } request)
        {
            return;
        }

        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Returning to the app…</title>\n")
            .Append("<script src=\"").Append(encoder.Encode(request.PathBase + ScriptPath)).Append("\" defer></script>\n</head>\n<body>\n")
            .Append("<form method=\"post\" data-form-post action=\"").Append(encoder.Encode(context.RedirectUri)).Append("\">\n");

        // Repeated parameters are kept, as OpenIddict does: response parameters may carry several values.
        foreach (var (name, value) in context.Response.GetParameters())
        {
            foreach (var item in (StringValues)value)
            {
                if (!string.IsNullOrEmpty(item))
                {
                    html.Append("<input type=\"hidden\" name=\"").Append(encoder.Encode(name))
                        .Append("\" value=\"").Append(encoder.Encode(item)).Append("\">\n");
                }
            }
        }

        html.Append("<noscript><p>Press the button to go back to the app.</p><button type=\"submit\">Continue</button></noscript>\n")
            .Append("</form>\n</body>\n</html>\n");

        var response = request.HttpContext.Response;
        var body = Encoding.UTF8.GetBytes(html.ToString());
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = body.Length;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        await response.Body.WriteAsync(body, request.HttpContext.RequestAborted);
        context.HandleRequest();
    }
}
