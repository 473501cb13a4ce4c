namespace IdentityServer.Pages;

internal static class PagesSetup
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new SecurityHeaders());
            o.Conventions.AuthorizeFolder("/Account/Manage");
        })
        // No client-side validation script is served; without this the validation summary renders an
        // inline style attribute that the Content-Security-Policy (rightly) blocks.
        .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        return services;
    }
}
