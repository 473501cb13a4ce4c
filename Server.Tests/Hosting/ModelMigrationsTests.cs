using IdentityServer.Data;
using IdentityServer.Data.CompiledModels.Sqlite;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Hosting;

/// <summary>Fails when the model has changes that either provider's migrations lack.</summary>
public sealed class ModelMigrationsTests
{
    /// <summary>
    /// Identity shapes its tables by the schema version in IdentityOptions, read from the application's services (the
    /// server sets version 3, which has passkeys); a context built outside the server needs the same.
    /// </summary>
    private static readonly IServiceProvider Application = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3).BuildServiceProvider();

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void MigrationsMatchTheModel(string provider)
    {
        var builder = new DbContextOptionsBuilder<ApplicationDbContext>();
        if (provider == "Postgres")
        {
            builder.UseNpgsql("Host=unused;Database=unused");
        }
        else
        {
            builder.UseSqlite("Data Source=:memory:");
        }

        builder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>().UseApplicationServiceProvider(Application).UseOpenIddict();
        using var db = new ApplicationDbContext(builder.Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lack model changes: run Migrations/add-migration.sh <Name>.");
    }

    /// <summary>SQLite runs on a model compiled ahead of time; it must describe the same tables as the code.</summary>
    [Fact]
    public void TheCompiledSqliteModelMatchesTheCode()
    {
        var fromCode = new DbContextOptionsBuilder<ApplicationDbContext>().UseSqlite("Data Source=:memory:")
            .ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>().UseApplicationServiceProvider(Application).UseOpenIddict();
        var compiled = new DbContextOptionsBuilder<ApplicationDbContext>().UseSqlite("Data Source=:memory:")
            .UseModel(ApplicationDbContextModel.Instance).UseOpenIddict();
        using var code = new ApplicationDbContext(fromCode.Options);
        using var ahead = new ApplicationDbContext(compiled.Options);

        Assert.Equal(Describe(code.Model), Describe(ahead.Model));
    }

    /// <summary>Tables, columns, keys, indexes and foreign keys, one line each.</summary>
    private static List<string> Describe(IModel model) =>
        model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e =>
            new[] { $"{e.Name} -> {e.GetTableName()}" }
                .Concat(e.GetProperties().Select(p =>
                    $"  {p.Name} {p.GetColumnName()} {p.ClrType.Name} null={p.IsNullable} max={p.GetMaxLength()} store={p.GetRelationalTypeMapping().StoreType} concurrency={p.IsConcurrencyToken}"))
                .Concat(e.GetKeys().Select(k => $"  key {string.Join(',', k.Properties.Select(p => p.Name))} primary={k.IsPrimaryKey()}"))
                .Concat(e.GetIndexes().Select(i => $"  index {i.GetDatabaseName()} {string.Join(',', i.Properties.Select(p => p.Name))} unique={i.IsUnique}"))
                .Concat(e.GetForeignKeys().Select(f => $"  fk {string.Join(',', f.Properties.Select(p => p.Name))} -> {f.PrincipalEntityType.Name} {f.DeleteBehavior}")))
            .ToList();
}
