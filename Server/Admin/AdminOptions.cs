using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin;

/// <summary>The admin API and console (<c>IdentityServer:Admin</c>).</summary>
internal sealed class AdminOptions
{
    public const string Section = "IdentityServer:Admin";

    /// <summary>The role a person needs for the admin console, and to obtain admin scopes through code + PKCE.</summary>
    public const string Role = "admin";

    /// <summary>The audience of access tokens for the admin API.</summary>
    public const string Audience = "admin-api";

    public const string ReadScope = "admin.read";

    public const string WriteScope = "admin.write";

    public static bool IsAdminScope(string scope) => scope is ReadScope or WriteScope;

    /// <summary>Serve the browsable API reference (Scalar) at <c>/admin/api/docs</c> outside Development too.</summary>
    public bool ApiReference { get; set; }

    /// <summary>The console needs a second factor in the session's sign-in (TOTP or recovery code), not only a password.</summary>
    public bool ConsoleRequiresSecondFactor { get; set; } = true;

    /// <summary>How long after its sign-in a session may use the console before signing in again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ConsoleSignInMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest page a list may return; a bigger <c>pageSize</c> is a 400.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 100;
}

[OptionsValidator]
internal sealed partial class AdminOptionsValidator : IValidateOptions<AdminOptions>;
