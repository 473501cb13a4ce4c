using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityServer.Pages;

/// <summary>
/// A page asked with a method it has no handler for (POST to a page that only has OnGet, PUT, DELETE…)
/// answers 405, as HTTP says. Razor Pages would otherwise render the view with a model no handler ever
/// loaded: a null reference and a 500 (found by the fuzz test). GET and HEAD still render handler-less
/// pages, and so does the exception handler's re-execution of /Error for a failed POST.
/// </summary>
internal sealed class UnhandledMethods : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (context.HandlerMethod is not null || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return next();
        }

        var allowed = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Append("HEAD").Distinct(StringComparer.Ordinal);
        http.Response.Headers.Allow = string.Join(", ", allowed);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }
}
