using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityServer.Pages;

internal static class PagesSetup
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new SecurityHeaders());
            o.Conventions.ConfigureFilter(new UnhandledMethods());
            o.Conventions.AuthorizeFolder("/Account/Manage");
        })
        .AddMvcOptions(o =>
        {
            // jQuery's "a[b]" key syntax is never posted here, and its parser throws on a key with an
            // unclosed bracket ("x[y"): any such field turned a form or query into a 500 (fuzz test).
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        })

        // No client-side validation script is served; without this the validation summary renders an
        // inline style attribute that the Content-Security-Policy (rightly) blocks.
        .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        return services;
    }
}
