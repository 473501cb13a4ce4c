using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IdentityServer.Tests;

/// <summary>Fails when the model has changes that either provider's migrations lack.</summary>
public sealed class ModelMigrationsTests
{
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

        builder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>().UseOpenIddict();
        using var db = new ApplicationDbContext(builder.Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lack model changes: run Migrations/add-migration.sh <Name>.");
    }
}
