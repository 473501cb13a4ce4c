namespace IdentityServer.Pages;

internal static class PagesSetup
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorPages(o => o.Conventions.ConfigureFilter(new SecurityHeaders()));
        return services;
    }
}
