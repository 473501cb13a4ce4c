
namespace IdentityServer.Accounts.Email;

internal static class EmailSetup
{
    public static IServiceCollection AddEmail(this IServiceCollection services, EmailOptions email)
    {
        // Outside Development the validator insists on one of the two being set explicitly.
        if (string.IsNullOrWhiteSpace(email.SmtpHost))
        {
            services.AddSingleton<IMailer, PickupFolderMailer>();
        }
        else
        {
            services.AddSingleton<IMailer, SmtpMailer>();
        }

        services.AddSingleton<MailQueue>();
        services.AddHostedService<MailSender>();
        services.AddSingleton<EmailLinks>();
        services.AddScoped<AccountEmails>();
        return services;
    }
}
