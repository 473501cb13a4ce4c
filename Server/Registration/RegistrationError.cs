using System.Text.Json.Serialization;

namespace IdentityServer.Registration;

/// <summary>An error answer of the registration endpoints: RFC 7591 §3.2.2 codes, RFC 6750 for a bad bearer token.</summary>
internal sealed record RegistrationError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description,
    [property: JsonIgnore] int Status = StatusCodes.Status400BadRequest)
{
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidSoftwareStatement = "invalid_software_statement";
    public const string InvalidToken = "invalid_token";

    public static RegistrationError Metadata(string description) => new(InvalidClientMetadata, description);

    public static RegistrationError RedirectUri(string description) => new(InvalidRedirectUri, description);

    /// <summary>A missing or wrong bearer token (initial or registration access token): 401, with the same words whatever was wrong.</summary>
    public static RegistrationError Token(string description) => new(InvalidToken, description, StatusCodes.Status401Unauthorized);
}
