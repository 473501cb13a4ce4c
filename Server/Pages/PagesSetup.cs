namespace IdentityServer.Pages;

internal static class PagesSetup
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new SecurityHeaders());
            o.Conventions.AuthorizeFolder("/Account/Manage");
        });
        return services;
    }
}
