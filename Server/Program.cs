using IdentityServer.Cli;
using IdentityServer.Configuration;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.Health;
using IdentityServer.Hosting;
using IdentityServer.Jobs;
using IdentityServer.Oidc;
using IdentityServer.Pages;
using IdentityServer.RateLimiting;
using IdentityServer.Telemetry;
using IdentityServer.Accounts;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddServerOptions();
builder.AddTelemetry(settings.Telemetry);
builder.Services
    .AddDatabase(settings, builder.Environment)
    .AddAccounts(settings)
    .AddOidc(settings, builder.Environment)
    .AddExternalSignIn(settings)
    .AddPages()
    .AddRateLimits(settings.RateLimits)
    .AddJobs(settings.Pruning)
    .AddHealth()
    .AddStartupTasks();

var app = builder.Build().UseServer();
app.MapTelemetry(settings.Telemetry);
if (!await app.TryRunCommandAsync(args))
{
    await app.RunAsync();
}

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
