using IdentityServer.Accounts;
using IdentityServer.Admin.Console;
using IdentityServer.Admin.Setup;
using IdentityServer.Audit;
using IdentityServer.BackchannelLogout;
using IdentityServer.Cli;
using IdentityServer.ClientMetadata;
using IdentityServer.Configuration;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.Health;
using IdentityServer.Hosting;
using IdentityServer.Jobs;
using IdentityServer.Keys;
using IdentityServer.Oidc;
using IdentityServer.Pages;
using IdentityServer.Passkeys;
using IdentityServer.RateLimiting;
using IdentityServer.Registration;
using IdentityServer.Seeding;
using IdentityServer.Sessions;
using IdentityServer.Telemetry;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddServerSettings();
builder.AddTelemetry(settings.Telemetry);
builder.Services
    .AddSingleton(TimeProvider.System)
    .AddDatabase(settings.Database, builder.Environment)
    .AddAudit()
    .AddAccounts(settings.Accounts, settings.Email, settings.Sessions, settings.Oidc.RequireHttps)
    .AddPasskeys(settings.Passkeys, settings.Oidc.Issuer)
    .AddSessions()
    .AddBackchannelLogout(settings.BackchannelLogout)
    .AddRegistration(settings.Registration)
    .AddOidc(settings.Oidc, settings.Tokens, settings.Keys, settings.KeyRotation, settings.Declared, builder.Environment)
    .AddClientMetadataDocuments(settings.ClientMetadata)
    .AddExternalSignIn(settings.External, settings.Oidc.RequireHttps)
    .AddPages()
    .AddAdminConsole()
    .AddRateLimits(settings.RateLimits)
    .AddAdminApi()
    .AddJobs(settings.Pruning, BackchannelLogoutSetup.Schedule(settings.BackchannelLogout), KeysSetup.Schedule(settings.KeyRotation))
    .AddHealth()
    .AddSeeding()
    .AddStartupTasks();
builder.UseCommandLine(args);

var app = builder.Build();

// The request pipeline, in order.
app.UseKnownProxies();
app.UseProductionErrorPages();
app.UseMiddleware<DatabaseUnavailable>();
app.UseMiddleware<MalformedForms>();
app.UseStaticFiles();
app.UseSigningKeyRefresh();
app.UseMiddleware<MetadataCache>();
app.UseAdminApi();
app.UseRateLimits();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapRazorPages();
app.MapProtocolEndpoints();
app.MapRegistration(settings.Registration);
app.MapHealth();
app.MapExternalSignIn();
app.MapAdminApi(settings.Admin);
app.MapTelemetry(settings.Telemetry);

if (!await app.TryRunCommandAsync(args))
{
    await app.RunAsync();
}

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
