using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IdentityServer.Tests.Security;

/// <summary>One account per address, even under racing registrations; no name can shadow someone's address.</summary>
public sealed class DuplicateAccountTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Password = "violet harbour engine 42";

    [Fact]
    public async Task RacingRegistrationsForOneAddressCreateOneAccountAndAnswerAlike()
    {
        var pages = new List<(Browser Browser, HttpResponseMessage Page)>();
        for (var i = 0; i < 8; i++)
        {
            var browser = server.CreateBrowser();
            pages.Add((browser, await browser.GetAsync("/Account/Register")));
        }

        var answers = await Task.WhenAll(pages.Select((p, i) => p.Browser.SubmitFormAsync(p.Page, new Dictionary<string, string>
        {
            ["UserName"] = $"racer{i}", ["Email"] = "race@example.com", ["Password"] = Password,
        })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await using var connection = new SqliteConnection($"Data Source={server.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AspNetUsers WHERE NormalizedEmail = 'RACE@EXAMPLE.COM'";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);

        // Look-ups by that address keep working.
        using var forgot = server.CreateBrowser();
        var reset = await People.PostPageAsync(forgot, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "race@example.com" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        pages.ForEach(p => p.Browser.Dispose());
    }

    [Fact]
    public async Task AUserNameThatIsSomeoneElsesEmailIsRefused()
    {
        using var browser = server.CreateBrowser();
        var response = await People.RegisterAsync(browser, "alice@example.com", "mallory@example.com", Password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("user name is taken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // And alice still signs in with her address.
        using var alice = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(alice, "alice@example.com", ServerFactory.AlicePassword, "/")).StatusCode);
    }
}
