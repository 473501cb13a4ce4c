using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdentityServer.Data;

/// <summary>The database (<c>IdentityServer:Database</c>).</summary>
internal sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "IdentityServer:Database";

    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "use Sqlite or Postgres.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required(ErrorMessage = "a connection string is required.")]
    public string ConnectionString { get; set; } = "Data Source=identity.db";

    public bool MigrateAtStartup { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) || Parses())
        {
            yield break;
        }

        yield return new ValidationResult(Provider == DatabaseProvider.Postgres
            ? "is not a PostgreSQL connection string (for example \"Host=db;Database=identity;Username=identity\"); a SQLite one does not serve with Provider Postgres."
            : "is not a SQLite connection string (for example \"Data Source=identity.db\").", [nameof(ConnectionString)]);
    }

    private bool Parses()
    {
        try
        {
            _ = Provider == DatabaseProvider.Postgres ? new NpgsqlConnectionStringBuilder(ConnectionString).Host : new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return false;
        }
    }
}

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
