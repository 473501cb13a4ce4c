using System.Buffers.Text;
using System.Text;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Values a field could really hold — registered clients and redirect URIs, a valid PKCE pair, alice's live
/// tokens — so a share of the requests gets past the first check and reaches the code behind it.
/// Never alice's or tess's password: a random request must not be able to change or delete them.
/// </summary>
internal sealed class PlausibleValues(FuzzCallers callers)
{
    private static readonly (string Verifier, string Challenge) Pkce = OAuth.Pkce();
    private static readonly string[] None = [];

    public IReadOnlyList<string> For(string name) => name.ToUpperInvariant() switch
    {
        "CLIENT_ID" or "CLIENTID" => [OAuth.Spa, OAuth.Web, OAuth.Machine, OAuth.Api, "unknown-client", callers.DocumentClientId, "https://10.0.0.1/client.json"],
        "CLIENT_SECRET" => [OAuth.WebSecret, OAuth.MachineSecret, OAuth.ApiSecret, "wrong-secret"],
        "CLIENT_ASSERTION_TYPE" => ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"],
        "CLIENT_ASSERTION" => [callers.Tokens["id_token"]],
        "REDIRECT_URIS" or "POST_LOGOUT_REDIRECT_URIS" => ["http://127.0.0.1:5555/callback", "https://app.fuzz.example/cb", "http://evil.example/cb", "https://a.example/#f",
            "com.example:/cb", "http://[::1]/cb"],
        "GRANT_TYPES" => ["authorization_code", "refresh_token", "implicit", "client_credentials", "password"],
        "RESPONSE_TYPES" => ["code", "token", "id_token", "code id_token"],
        "TOKEN_ENDPOINT_AUTH_METHOD" => ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"],
        "CLIENT_NAME" => ["Fuzz client", "", "\u0000"],
        "CLIENT_URI" or "LOGO_URI" => ["https://app.fuzz.example/", "http://app.fuzz.example/", "javascript:alert(1)"],
        "SOFTWARE_STATEMENT" => [callers.Tokens["id_token"]],
        "REDIRECT_URI" => [OAuth.SpaRedirect, OAuth.WebRedirect, OAuth.SpaRedirect + "/../x", "http://evil.example/callback", "http://127.0.0.1:50123/callback", "http://localhost:1/callback"],
        "POST_LOGOUT_REDIRECT_URI" => ["http://localhost:5173/", "http://localhost:5002/signout-callback-oidc", "http://evil.example/"],
        "RESPONSE_TYPE" => ["code", "code id_token", "token", "id_token", "none"],
        "RESPONSE_MODE" => ["query", "fragment", "form_post", "web_message"],
        "SCOPE" => ["openid", "openid profile email roles offline_access api", "api", "openid offline_access", "profile"],
        "CODE_CHALLENGE" => [Pkce.Challenge],
        "CODE_CHALLENGE_METHOD" => ["S256", "plain"],
        "CODE_VERIFIER" => [Pkce.Verifier],
        "PROMPT" => ["none", "login", "consent", "select_account", "create", "login consent", "none login"],
        "MAX_AGE" => ["0", "1", "3600", "1000000000000", "-1"],
        "GRANT_TYPE" => ["authorization_code", "refresh_token", "client_credentials", "password", "implicit",
            "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"],
        "TOKEN" or "ACCESS_TOKEN" or "REFRESH_TOKEN" or "ID_TOKEN_HINT" or "ID_TOKEN" or "SUBJECT_TOKEN" or "ACTOR_TOKEN" or "REQUEST" => [.. callers.Tokens.Values],
        "TOKEN_TYPE_HINT" or "REQUESTED_TOKEN_TYPE" => ["access_token", "refresh_token", "id_token", "authorization_code"],
        "SUBJECT_TOKEN_TYPE" or "ACTOR_TOKEN_TYPE" => ["urn:ietf:params:oauth:token-type:access_token", "urn:ietf:params:oauth:token-type:refresh_token",
            "urn:ietf:params:oauth:token-type:id_token", "urn:ietf:params:oauth:token-type:jwt"],
        "RESOURCE" or "AUDIENCE" => [OAuth.Api, "http://localhost/", FuzzServer.Resource, FuzzServer.Resource + "#x", "relative/path"],
        "STATE" or "NONCE" => ["xyz", "st-0"],
        "LOGIN" or "LOGINHINT" or "LOGIN_HINT" or "LOGOUT_HINT" or "USERNAME" => ["alice", "alice@example.com", "tess", "TESS@EXAMPLE.COM", "nobody@example.com"],
        "PASSWORD" or "CURRENTPASSWORD" or "NEWPASSWORD" => ["wrong password but long", "short", "correct horse battery stapl", "password1234"],
        "EMAIL" or "NEWEMAIL" => ["alice@example.com", "tess@example.com", "new@example.com", "ALICE@EXAMPLE.COM"],
        "RETURNURL" => ["/", "/Account/Manage", "//evil.example", "http://evil.example/", "/\\evil.example", "~/x",
            "/connect/authorize?client_id=spa&response_type=code"],
        "PROVIDER" => ["github", "google", "upstream"],
        "CONSENT" => ["accept", "deny"],
        "CONFIRM" or "LINK" or "REMEMBERMACHINE" => ["true", "false", "1", "on"],
        "LINKED" => ["github"],
        "CODE" => ["123456", "000000", "abcd-efgh", "12345678"],
        "ERROR" => ["access_denied", "server_error", "invalid_request"],
        "ISS" => ["https://github.com/"],
        "__REQUESTVERIFICATIONTOKEN" => [callers.Anonymous.AntiforgeryToken, callers.Alice.AntiforgeryToken, callers.Tess.AntiforgeryToken, callers.ConsoleAdmin.AntiforgeryToken],
        "FORM.CLIENTID" or "Q" => ["fuzz-made", OAuth.Machine, callers.RegisteredClientId, "https://evil.example/doc"],
        "FORM.TYPE" => ["confidential", "public", "private"],
        "FORM.GRANTTYPES" => ["client_credentials", "authorization_code", "refresh_token", "device_code"],
        "FORM.SCOPES" => ["api", "openid profile offline_access", "admin.read admin.write", "unknown"],
        "FORM.REDIRECTURIS" or "FORM.POSTLOGOUTREDIRECTURIS" => ["http://127.0.0.1:5555/callback", "https://a.example/#f\nhttps://b.example/cb", "javascript:alert(1)"],
        "FORM.FIRSTPARTY" or "FORM.ALLOWINTROSPECTION" => ["true", "false", "on"],
        "TYPE" => ["signin", "signin.failed", "admin", "admin.client.created"],
        "FROM" or "TO" => ["2026-01-01T00:00", "2026-13-45T99:99", "yesterday", "0001-01-01T00:00"],
        "P" => ["1", "2", "0", "-1", "2147483647"],
        "USER" => ["alice", "root", "nobody"],
        "ID" => [OAuth.Machine, OAuth.Spa, "fuzz-made", callers.RegisteredClientId, "AAAAAAAAAAAA", callers.AliceId, callers.VictimId, callers.PasswordlessId, .. callers.PasskeyIds],
        "PASSKEYID" => [.. callers.PasskeyIds, "AAAAAAAAAAAAAAAAAAAAAA", "not*base64url", " ", "A"],
        "NAME" => ["Work laptop", "", " ", new string('n', 65), "bell\u0007", "\u202Eevil", "Key 0"],
        "CREDENTIAL" => Credentials(),
        _ => None,
    };

    /// <summary>
    /// A browser's credential JSON as this server reads it, each broken in one way: wrong shapes, bad base64url,
    /// client data that is not JSON or names no challenge, escapes that are not valid UTF-16, nesting too deep, and
    /// a well-shaped answer (alice's user handle) to a ceremony this caller never started.
    /// </summary>
    private string[] Credentials()
    {
        static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        var authenticatorData = Base64Url.EncodeToString([.. new byte[32], 0x05, 0, 0, 0, 1]);
        string Answer(string clientData, string userHandle, string extra = "") =>
            $$"""{"id":"AAAAAAAAAAAAAAAAAAAAAA","rawId":"AAAAAAAAAAAAAAAAAAAAAA","type":"public-key","response":{"clientDataJSON":"{{clientData}}","authenticatorData":"{{authenticatorData}}","signature":"MEUCIQ","userHandle":"{{userHandle}}"{{extra}}},"clientExtensionResults":{},"authenticatorAttachment":"platform"}""";
        return
        [
            "{}", "[]", "null", "\"x\"", "1", """{"response":"x"}""", """{"response":{"clientDataJSON":1,"userHandle":[]}}""",
            Answer(B64("""{"type":"webauthn.get","challenge":"AAAA","origin":"http://localhost"}"""), B64(callers.AliceId)),
            Answer(B64("""{"type":"webauthn.create","challenge":"AAAA","origin":"http://localhost"}"""), "", ""","attestationObject":"o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YUA","transports":["internal"]"""),
            Answer("!!!", "%%%"),
            Answer(B64("not json"), B64("nobody")),
            Answer(Base64Url.EncodeToString([0xC3, 0x28, 0xFF]), Base64Url.EncodeToString([0xFF, 0xFE])),
            Answer(B64("""{"challenge":"\ud800"}"""), "AAAA"),
            Answer(B64("""{"challenge":12}"""), @"\ud800"),
            string.Concat(Enumerable.Repeat("""{"response":""", 40)) + "{}" + new string('}', 40),
        ];
    }
}
