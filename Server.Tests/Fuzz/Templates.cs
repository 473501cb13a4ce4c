using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// A valid request per protocol endpoint and form, as a real client or person sends it: the starting point
/// of the well-formed requests, which then change one thing (drop a field, swap a value, add a field).
/// Authorization is the header to send (null: none). Never alice's password; tess's only on the login form,
/// where it stops at her second factor.
/// </summary>
internal static class Templates
{
    private static readonly (string Verifier, string Challenge) Pkce = OAuth.Pkce();

    public static (string? Authorization, List<KeyValuePair<string, string>> Fields)? For(FuzzTarget target, FuzzCallers callers, FuzzInput input)
    {
        var tokens = callers.Tokens;
        var plausible = new PlausibleValues(callers);
        string Basic(string id, string secret) => OAuth.BasicAuth(id, secret).ToString();
        (string?, string[]) pick = target.Path switch
        {
            "/connect/authorize" or "/connect/consent" or "/connect/par" => (null, [
                "client_id", input.Pick([OAuth.Spa, OAuth.Web]), "redirect_uri", input.Pick([OAuth.SpaRedirect, OAuth.WebRedirect]), "response_type", "code",
                "scope", input.Pick(["openid", "openid profile email roles offline_access api", "openid offline_access"]), "state", "st", "nonce", "n",
                "code_challenge", Pkce.Challenge, "code_challenge_method", "S256", "consent", input.Pick(["accept", "deny", ""]),
            ]),
            "/connect/token" => input.Next(4) switch
            {
                3 => (Basic(FuzzServer.Exchanger, FuzzServer.ExchangerSecret), ["grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                    "subject_token", tokens["access_token"], "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "resource", FuzzServer.Resource]),
                0 => (Basic(OAuth.Machine, OAuth.MachineSecret), ["grant_type", "client_credentials", "scope", "api"]),
                1 => (null, ["grant_type", "refresh_token", "client_id", OAuth.Spa, "refresh_token", tokens["refresh_token"]]),
                _ => (null, ["grant_type", "authorization_code", "client_id", OAuth.Spa, "code", input.Pick([.. tokens.Values]), "redirect_uri", OAuth.SpaRedirect, "code_verifier", Pkce.Verifier]),
            },
            "/connect/device" => (null, ["client_id", "tv", "scope", input.Pick(["openid", "openid offline_access api", "api"])]),
            "/connect/userinfo" => ("Bearer " + tokens["access_token"], []),
            "/connect/register" => (null, [
                "redirect_uris", input.Pick(["http://127.0.0.1:5555/callback", "https://app.fuzz.example/callback http://localhost/cb", "http://[::1]:8080/cb"]),
                "grant_types", input.Pick(["authorization_code", "authorization_code refresh_token"]), "response_types", "code",
                "token_endpoint_auth_method", "none", "scope", input.Pick(["openid", "openid profile offline_access", "openid api"]), "client_name", "Fuzz client",
            ]),
            "/connect/register/{client_id}" => ("Bearer " + tokens[FuzzCallers.RegistrationToken], []),
            "/admin/api/clients" or "/admin/api/clients/{clientId}" => ("Bearer " + tokens[FuzzCallers.AdminToken], [
                "clientId", "fuzz-" + input.Next(1000), "type", input.Pick(["public", "confidential"]), "grantTypes", input.Pick(["authorization_code refresh_token", "client_credentials"]),
                "scopes", input.Pick(["openid api", "api", "admin.read"]), "redirectUris", input.Pick(["https://app.fuzz.example/cb", "http://127.0.0.1:5555/callback"]),
            ]),
            "/admin/api/scopes" or "/admin/api/scopes/{name}" => ("Bearer " + tokens[FuzzCallers.AdminToken], [
                "name", "fuzz-scope-" + input.Next(1000), "displayName", "Fuzz scope", "resources", input.Pick(["https://api.fuzz.example/", "a b"]),
            ]),
            "/admin/api/users" or "/admin/api/users/{id}" => ("Bearer " + tokens[FuzzCallers.AdminToken], [
                "userName", "fuzz" + input.Next(100_000), "email", $"fuzz{input.Next(100_000)}@example.com", "roles", input.Pick(["", "admin", "ops staff"]),
            ]),
            "/admin/api/grants" => ("Bearer " + tokens[FuzzCallers.AdminToken], ["userId", callers.AliceId, "pageSize", input.Pick(["1", "100", "101", "0"])]),
            "/admin/api/audit" => ("Bearer " + tokens[FuzzCallers.AdminToken], ["type", input.Pick(["admin", "signin.failed"]), "from", "2020-01-01T00:00:00Z", "q", "alice"]),
            var admin when admin.StartsWith("/admin/api/", StringComparison.Ordinal) => ("Bearer " + tokens[FuzzCallers.AdminToken], ["page", input.Pick(["1", "2", "-1", "x"])]),
            "/connect/introspect" => (Basic(OAuth.Api, OAuth.ApiSecret), ["token", input.Pick([.. tokens.Values])]),
            "/connect/revoke" => (input.Chance(0.5) ? Basic(OAuth.Web, OAuth.WebSecret) : null, ["token", input.Pick([.. tokens.Values]), "client_id", OAuth.Spa]),
            "/connect/endsession" => (null, ["id_token_hint", tokens["id_token"], "post_logout_redirect_uri", "http://localhost:5173/", "client_id", OAuth.Spa, "state", "st", "confirm", "yes"]),
            "/Account/Login" => (null, ["Login", input.Pick(["alice", "tess", "tess@example.com", "nobody"]), "Password", input.Pick([FuzzCallers.TessPassword, "wrong password but long"]), "ReturnUrl", "/"]),
            "/Account/Register" => (null, ["UserName", "user" + input.Next(100_000), "Email", $"user{input.Next(100_000)}@example.com", "Password", "a long enough password 42",
                "Credential", input.Pick(plausible.For("Credential"))]),
            "/Account/Passkey" => (null, ["ReturnUrl", input.Pick(["/", "/Account/Manage"]), "Credential", input.Pick(plausible.For("Credential"))]),
            "/Account/Manage/Passkeys" => (null, ["Name", input.Pick(["Work laptop", "Key 0"]), "Credential", input.Pick(plausible.For("Credential")), "id", input.Pick(callers.PasskeyIds)]),
            "/Account/ResetPassword" => (null, ["Email", "alice@example.com", "Code", "Q2ZESjg", "Password", "a long enough password 42"]),
            "/Account/ConfirmEmail" => (null, ["userId", Guid.NewGuid().ToString(), "code", "Q2ZESjg", "email", "alice@example.com"]),
            "/Account/Manage/ChangeEmail" => (null, ["NewEmail", $"alice{input.Next(1000)}@example.com"]),
            "/Account/Manage/ChangePassword" => (null, ["CurrentPassword", "wrong password but long", "NewPassword", "a long enough password 42"]),
            _ => (null, []),
        };

        if (pick.Item2.Length == 0 && pick.Item1 is null)
        {
            return null;
        }

        var fields = pick.Item2.Chunk(2).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();
        return (pick.Item1, fields);
    }
}
