using System.Runtime.Versioning;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Hosting;

/// <summary>Files that hold secrets (the database, generated keys, dropped mail) are created owner-only.</summary>
public sealed class FileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public async Task TheDatabaseItsJournalsTheKeysAndThePickedUpMailAreOwnerOnly()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Keys:AccessTokenSigningAlgorithm"] = "ES256";
        using var browser = server.CreateBrowser();
        await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "alice@example.com" });
        await People.LastMailAsync(server, "alice@example.com");

        var files = new[] { server.DatabaseFile, server.DatabaseFile + "-wal", server.DatabaseFile + "-shm" }
            .Concat(Directory.GetFiles(server.Folder, "*.pem"))
            .Concat(Directory.GetFiles(server.MailFolder, "*.eml"))
            .ToList();
        // The signing keys rotate in the database; the encryption key, which protects them, is the one file.
        Assert.Equal(["encryption-rsa.pem"], Directory.GetFiles(server.Folder, "*.pem").Select(Path.GetFileName));
        Assert.All(files, f => Assert.Equal((f, OwnerOnly), (f, File.GetUnixFileMode(f))));
    }
}
