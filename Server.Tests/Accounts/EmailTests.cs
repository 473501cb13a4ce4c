using System.Globalization;
using System.Net;
using IdentityServer.Tests.Infrastructure;
using netDumbster.smtp;

namespace IdentityServer.Tests.Accounts;

/// <summary>With an SMTP host configured, account mail goes over SMTP (to a real listener started here).</summary>
public sealed class EmailTests
{
    [Fact]
    public async Task ConfirmationMailIsDeliveredOverSmtp()
    {
        var port = LoopbackPort.Free();
        using var smtp = SimpleSmtpServer.Start(port);
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Accounts:Email:SmtpHost"] = "127.0.0.1";
        server.Settings["IdentityServer:Accounts:Email:SmtpPort"] = port.ToString(CultureInfo.InvariantCulture);
        server.Settings["IdentityServer:Accounts:Email:SmtpSecurity"] = "None";
        using var browser = server.CreateBrowser();

        Assert.Equal(HttpStatusCode.OK, (await People.RegisterAsync(browser, "pia", "pia@example.com", "tundra violin marble 26")).StatusCode);

        await People.MailSentAsync(server.Services);
        var mail = Assert.Single(smtp.ReceivedEmail);
        Assert.Equal("pia@example.com", mail.ToAddresses.Single().Address);
        Assert.Equal("Confirm your email", mail.Subject);
        Assert.False(Directory.Exists(server.MailFolder));
        var body = string.Join("\n", mail.MessageParts.Select(p => p.BodyData));
        Assert.Contains("/Account/ConfirmEmail?userId=", body, StringComparison.Ordinal);
    }
}
