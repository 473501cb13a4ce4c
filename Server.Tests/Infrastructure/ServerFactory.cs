using IdentityServer.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// The real server, in process, on a fresh SQLite file and fresh keys in a temporary folder, with the
/// Development demo configuration, a fake clock and cheap password hashing.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    public const string AlicePassword = "correct horse battery staple";

    private readonly string folder = NewFolder();

    /// <summary>
    /// Test servers never watch files through inotify: each watcher (appsettings reloads, the version hashes of
    /// static files) is an inotify instance, Linux allows 128 per user, and a suite of several hundred servers ran
    /// out of them — every server started after that failed with an IOException. Configuration is not reloaded,
    /// and files that are watched at all are polled.
    /// </summary>
    static ServerFactory()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
    private readonly bool ownsFolder = true;

    /// <summary>Database and keys. A folder given here outlives the factory, so a second factory can play a restarted server.</summary>
    public string Folder
    {
        get => folder;
        init
        {
            folder = value;
            ownsFolder = false;
        }
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Cheap password hashing (1 PBKDF2 iteration) keeps the suite fast; timing tests turn it off.</summary>
    public bool CheapHashing { get; init; } = true;

    /// <summary>Sign-in and client-authentication limits raised far out of the way (the default); false keeps the real defaults.</summary>
    public bool RaiseRateLimits { get; init; } = true;

    /// <summary>Extra configuration, applied over appsettings; set before the first request.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Services a test puts in place of the real ones (a fake upstream's HTTP handler, say).</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    public string DatabaseFile => Path.Combine(Folder, "test.db");

    /// <summary>Where the Development mailer drops each message as an .eml file.</summary>
    public string MailFolder => Path.Combine(Folder, "mail");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Folder);
        builder.UseEnvironment("Development");
        builder.UseSetting("IdentityServer:Database:ConnectionString", $"Data Source={DatabaseFile}");
        builder.UseSetting("IdentityServer:Keys:Directory", Folder);
        builder.UseSetting("IdentityServer:Accounts:Email:PickupDirectory", MailFolder);
        if (RaiseRateLimits)
        {
            foreach (var limit in (string[])["SignInsPerMinutePerAddress", "AccountPostsPerMinutePerAddress", "FailedSignInsPerMinutePerAccount", "FailedSignInsPerMinutePerAddress",
                "FailedClientAuthenticationsPerMinutePerClient", "FailedClientAuthenticationsPerMinutePerAddress", "UserCodeAttemptsPerMinutePerAddress", "FailedUserCodesPerMinute", "RegistrationsPerHourPerAddress"])
            {
                builder.UseSetting("IdentityServer:RateLimits:" + limit, "10000");
            }
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);

            // Pooled contexts keep their logger, which caches "is anyone listening?" for a second; tests that
            // observe commands through DiagnosticListener subscribe just before acting, so no caching here.
            services.ConfigureDbContext<ApplicationDbContext>(o => o.ConfigureLoggingCacheTime(TimeSpan.Zero));
            if (CheapHashing)
            {
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
            }

            TestServices.ForEach(configure => configure(services));
        });
    }

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "idsrv-tests-" + Guid.NewGuid().ToString("N"));

    public static void DeleteFolder(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }

    public Browser CreateBrowser() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsFolder)
        {
            DeleteFolder(Folder);
        }
    }
}
