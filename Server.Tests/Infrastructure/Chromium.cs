using Microsoft.Playwright;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// One Debian Chromium per test class, driven by Playwright (its own browser download is not used).
/// Each test opens its own contexts (separate cookie jars).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static bool Installed => File.Exists(ExecutablePath);

    public async Task InitializeAsync()
    {
        if (!Installed)
        {
            return;
        }

        // Web-first assertions poll; on a busy 2-core CI machine 5 s (the default) is too tight.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Runs a journey; when it fails, saves a full-page screenshot under bin/…/screenshots and says where.</summary>
    public static async Task ScreenshotOnFailureAsync(IPage page, string name, Func<Task> journey)
    {
        try
        {
            await journey();
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Console.WriteLine($"Screenshot saved to {path} (at {page.Url})");
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>A browser test: skipped with a reason where Chromium is missing, except in CI, which installs it.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.Installed && Environment.GetEnvironmentVariable("CI") is null)
        {
            Skip = $"Chromium is not installed at {Chromium.ExecutablePath} (apt-get install chromium).";
        }
    }
}
