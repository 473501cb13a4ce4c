using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Seeding;

/// <summary>
/// The clients, scopes and users that configuration declares (<c>IdentityServer:Clients</c>, <c>:Scopes</c>,
/// <c>:Resources</c>, <c>:Users</c>), re-applied at every start. Their rules span the three lists (a client's scopes must be
/// declared), so they live in <see cref="DeclarationRules"/> rather than in attributes.
/// </summary>
internal sealed class SeedOptions : IValidatableObject
{
    public const string Section = "IdentityServer";

    public List<DeclaredClient> Clients { get; set; } = [];

    public List<DeclaredScope> Scopes { get; set; } = [];

    /// <summary>The protected resources (APIs) clients may ask tokens for by URI (RFC 8707).</summary>
    public List<DeclaredResource> Resources { get; set; } = [];

    public List<DeclaredUser> Users { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => DeclarationRules.Check(this);
}

[OptionsValidator]
internal sealed partial class SeedOptionsValidator : IValidateOptions<SeedOptions>;
