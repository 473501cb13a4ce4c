using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace IdentityServer.Data;

/// <summary>
/// Both providers' migrations live in this assembly, one namespace each (generated from the same model).
/// This shows EF Core only the set of the provider in use, snapshot included.
/// </summary>
#pragma warning disable EF1001 // MigrationsAssembly is EF's own extension point for this; pinned to EF Core 10.
internal sealed class ProviderMigrationsAssembly(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private readonly string prefix = "IdentityServer.Migrations." + (DatabaseSetup.IsPostgres(currentContext.Context.Database.ProviderName) ? "Postgres" : "Sqlite");
    private IReadOnlyDictionary<string, TypeInfo>? migrations;
    private ModelSnapshot? snapshot;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations =>
        migrations ??= base.Migrations.Where(m => InSet(m.Value)).ToDictionary(m => m.Key, m => m.Value);

    public override ModelSnapshot? ModelSnapshot =>
        snapshot ??= Assembly.DefinedTypes
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(ModelSnapshot)) && InSet(t)
                && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(ApplicationDbContext))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
            .FirstOrDefault();

    private bool InSet(TypeInfo type) => type.Namespace?.StartsWith(prefix, StringComparison.Ordinal) == true;
}
#pragma warning restore EF1001
