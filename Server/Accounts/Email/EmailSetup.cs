using IdentityServer.Configuration;

namespace IdentityServer.Accounts.Email;

internal static class EmailSetup
{
    public static IServiceCollection AddEmail(this IServiceCollection services, EmailOptions email)
    {
        if (string.IsNullOrEmpty(email.SmtpHost))
        {
            services.AddSingleton<IMailer, PickupFolderMailer>();
        }
        else
        {
            services.AddSingleton<IMailer, SmtpMailer>();
        }

        services.AddScoped<AccountEmails>();
        return services;
    }
}
