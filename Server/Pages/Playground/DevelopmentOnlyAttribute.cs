using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityServer.Pages.Playground;

/// <summary>
/// Outside Development the page does not exist: 404 for every method, decided before any other filter (the
/// anti-forgery check would answer a POST with 400, and a page without handlers a PUT with 405: both say a page is there).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DevelopmentOnlyAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public int Order => int.MinValue;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            context.Result = new NotFoundResult();
        }
    }
}
