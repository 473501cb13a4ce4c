using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// Development (or an explicit PickupDirectory): each message becomes an .eml file a developer opens to
/// follow the link. The files hold live reset links, so they are owner-only from creation.
/// </summary>
internal sealed partial class PickupFolderMailer(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<PickupFolderMailer> logger) : IMailer
{
    public async Task SendAsync(string to, string subject, string htmlBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.PickupDirectory ?? "mail"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
        using var message = MessageBuilder.Build(settings.From, to, subject, htmlBody);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(path, create))
        {
            await message.WriteToAsync(file, cancellationToken);
        }

        LogSaved(subject, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email \"{Subject}\" saved to {Path}")]
    private partial void LogSaved(string subject, string path);
}
