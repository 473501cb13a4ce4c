using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Data;

/// <summary>The database (<c>IdentityServer:Database</c>).</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "IdentityServer:Database";

    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "use Sqlite or Postgres.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required(ErrorMessage = "a connection string is required.")]
    public string ConnectionString { get; set; } = "Data Source=identity.db";

    public bool MigrateAtStartup { get; set; } = true;
}

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
