namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Every protocol endpoint and every page the fuzzer sends requests to — the one list. A page added under
/// Server/Pages must be added here too (<c>FuzzTests.EveryPageUnderServerPagesIsFuzzed</c> fails until it is).
/// A page whose named handlers take other fields than its plain POST is listed twice, so each gets its share of requests.
/// </summary>
internal static class FuzzTargets
{
    public const string Protocol = "protocol";
    public const string Account = "account";
    public const string Manage = "manage";

    /// <summary>The admin console's pages, reached mostly as an admin signed in with a second factor.</summary>
    public const string AdminConsole = "admin-console";

    /// <summary>The admin API, on its own server: requests carry the demo admin client's token often enough to reach the handlers.</summary>
    public const string Admin = "admin";

    private static readonly string[] Get = ["GET"];
    private static readonly string[] Post = ["POST"];
    private static readonly string[] GetPost = ["GET", "POST"];
    private static readonly string[] GetPutDelete = ["GET", "PUT", "DELETE"];
    private static readonly string[] Delete = ["DELETE"];
    private static readonly string[] GetDelete = ["GET", "DELETE"];
    private static readonly string[] PageFields = ["page", "pageSize", "q"];
    private static readonly string[] AdminClientFields = ["clientId", "displayName", "type", "grantTypes", "scopes", "redirectUris", "postLogoutRedirectUris", "firstParty", "allowIntrospection"];
    private static readonly string[] AdminUserFields = ["userName", "email", "name", "emailConfirmed", "roles", "password"];
    private static readonly string[] AdminScopeFields = ["name", "displayName", "description", "resources"];

    private static readonly string[] AuthorizeFields =
    [
        "client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method", "prompt", "max_age", "login_hint", "id_token_hint", "ui_locales", "acr_values", "claims",
        "request", "request_uri", "resource", "audience", "display", "consent", "reauth", "__RequestVerificationToken",
    ];

    private static readonly string[] ClientFormFields =
    [
        "Form.ClientId", "Form.DisplayName", "Form.Type", "Form.GrantTypes", "Form.Scopes", "Form.RedirectUris", "Form.PostLogoutRedirectUris",
        "Form.FirstParty", "Form.AllowIntrospection", "__RequestVerificationToken",
    ];

    private static readonly string[] ClientFields = ["client_id", "client_secret", "client_assertion", "client_assertion_type"];

    /// <summary>Client metadata (RFC 7591 §2) members that hold a list; a well-formed JSON request writes them as arrays.</summary>
    public static readonly string[] JsonArrays =
    [
        "redirect_uris", "grant_types", "response_types", "contacts", "post_logout_redirect_uris",
        "grantTypes", "scopes", "redirectUris", "postLogoutRedirectUris", "roles", "resources",
    ];

    private static readonly string[] RegistrationFields =
    [
        .. JsonArrays, "token_endpoint_auth_method", "scope", "client_name", "client_uri", "logo_uri", "software_statement", "jwks", "application_type",
    ];

    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        new(Protocol, "/connect/authorize", GetPost, AuthorizeFields),
        new(Protocol, "/connect/consent", GetPost, AuthorizeFields),
        new(Protocol, "/connect/device", Post, [.. ClientFields, "scope"]),
        new(Protocol, "/device", GetPost, ["user_code", "decision", "result", "__RequestVerificationToken"]),
        new(Protocol, "/connect/par", Post, [.. AuthorizeFields, "client_secret", "client_assertion", "client_assertion_type"]),
        new(Protocol, "/connect/token", Post, [.. ClientFields, "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "resource", "audience", "username", "password", "requested_token_type", "subject_token", "subject_token_type", "actor_token", "actor_token_type", "device_code"]),
        new(Protocol, "/connect/userinfo", GetPost, ["access_token"]),
        new(Protocol, "/connect/introspect", Post, [.. ClientFields, "token", "token_type_hint"]),
        new(Protocol, "/connect/revoke", Post, [.. ClientFields, "token", "token_type_hint"]),
        new(Protocol, "/connect/endsession", GetPost, ["id_token_hint", "post_logout_redirect_uri", "state", "client_id", "logout_hint", "ui_locales", "confirm", "__RequestVerificationToken"]),
        new(Protocol, "/connect/register", Post, RegistrationFields, Json: true),
        new(Protocol, "/connect/register/{client_id}", ["GET", "DELETE"], []),
        new(Protocol, "/.well-known/openid-configuration", Get, []),
        new(Protocol, "/.well-known/jwks", Get, []),
        new(Protocol, "/health/live", Get, []),
        new(Protocol, "/health/ready", Get, []),
        new(Protocol, "/callback/login/{provider}", GetPost, ["state", "code", "error", "error_description", "error_uri", "iss", "scope", "id_token"]),

        new(Account, "/Account/Login", GetPost, ["Login", "Password", "ReturnUrl", "LoginHint", "__RequestVerificationToken"]),
        new(Account, "/Account/LoginWith2fa", GetPost, ["Code", "ReturnUrl", "RememberMachine", "__RequestVerificationToken"]),
        new(Account, "/Account/LoginWithRecoveryCode", GetPost, ["Code", "ReturnUrl", "__RequestVerificationToken"]),
        new(Account, "/Account/Register", GetPost, ["UserName", "Email", "Password", "ReturnUrl", "__RequestVerificationToken"]),
        new(Account, "/Account/Register", Post, ["UserName", "Email", "Credential", "ReturnUrl", "__RequestVerificationToken"], ["PasskeyOptions", "Passkey"]),
        new(Account, "/Account/Passkey", GetPost, ["ReturnUrl", "Credential", "__RequestVerificationToken"]),
        new(Account, "/Account/Passkey", Post, ["ReturnUrl", "__RequestVerificationToken"], ["Options"]),
        new(Account, "/Account/ForgotPassword", GetPost, ["Email", "__RequestVerificationToken"]),
        new(Account, "/Account/ResetPassword", GetPost, ["Email", "Code", "Password", "__RequestVerificationToken"]),
        new(Account, "/Account/ConfirmEmail", GetPost, ["userId", "code", "email"]),
        new(Account, "/Account/ExternalLink", GetPost, ["Password", "ReturnUrl", "__RequestVerificationToken"]),
        new(Account, "/Account/ExternalError", GetPost, ["provider", "reason"]),
        new(Account, "/Account/External", GetPost, ["provider", "returnUrl", "link", "__RequestVerificationToken"]),
        new(Account, "/Account/Logout", GetPost, ["__RequestVerificationToken"]),
        new(Account, "/Error", GetPost, []),
        new(Account, "/Index", GetPost, []),
        new(Account, "/playground", GetPost, ["code", "state", "iss", "error", "error_description"]),

        new(Manage, "/Account/Manage/Index", GetPost, ["__RequestVerificationToken"]),
        new(Manage, "/Account/Manage/Activity", GetPost, ["page", "__RequestVerificationToken"]),
        new(Manage, "/Account/Manage/Apps", GetPost, ["clientId", "__RequestVerificationToken"], ["Revoke"]),
        new(Manage, "/Account/Manage/ChangeEmail", GetPost, ["NewEmail", "__RequestVerificationToken"]),
        new(Manage, "/Account/Manage/ChangePassword", GetPost, ["CurrentPassword", "NewPassword", "__RequestVerificationToken"]),
        new(Manage, "/Account/Manage/Delete", GetPost, ["Password", "__RequestVerificationToken"]),
        new(Manage, "/Account/Manage/Logins", GetPost, ["linked", "provider", "key", "__RequestVerificationToken"], ["Unlink"]),
        new(Manage, "/Account/Manage/Sessions", GetPost, ["id", "__RequestVerificationToken"], ["End", "EndOthers"]),
        new(Manage, "/Account/Manage/Passkeys", GetPost, ["id", "Name", "Credential", "__RequestVerificationToken"], ["Options", "Add", "Rename", "Remove"]),
        new(Admin, "/admin/api/clients", GetPost, [.. PageFields, .. AdminClientFields], Json: true),
        new(Admin, "/admin/api/clients/{clientId}", GetPutDelete, AdminClientFields, Json: true),
        new(Admin, "/admin/api/clients/{clientId}/secret", Post, [], Json: true),
        new(Admin, "/admin/api/scopes", GetPost, [.. PageFields, .. AdminScopeFields], Json: true),
        new(Admin, "/admin/api/scopes/{name}", GetPutDelete, AdminScopeFields, Json: true),
        new(Admin, "/admin/api/users", GetPost, [.. PageFields, .. AdminUserFields], Json: true),
        new(Admin, "/admin/api/users/{id}", GetPutDelete, AdminUserFields, Json: true),
        new(Admin, "/admin/api/users/{id}/lock", Post, [], Json: true),
        new(Admin, "/admin/api/users/{id}/unlock", Post, [], Json: true),
        new(Admin, "/admin/api/users/{id}/reset-2fa", Post, [], Json: true),
        new(Admin, "/admin/api/users/{id}/force-password-reset", Post, [], Json: true),
        new(Admin, "/admin/api/users/{id}/sessions", GetDelete, PageFields),
        new(Admin, "/admin/api/users/{id}/sessions/{handle}", Delete, []),
        new(Admin, "/admin/api/users/{id}/passkeys", Get, []),
        new(Admin, "/admin/api/users/{id}/passkeys/{passkeyId}", Delete, []),
        new(Admin, "/admin/api/grants", Get, ["userId", "clientId", .. PageFields]),
        new(Admin, "/admin/api/grants/{id}", Delete, []),
        new(Admin, "/admin/api/keys", Get, []),
        new(Admin, "/admin/api/audit", Get, ["userId", "clientId", "type", "from", "to", .. PageFields]),
        new(Admin, "/admin/api/openapi.json", Get, []),
        new(Admin, "/admin/api/docs", Get, []),

        new(Manage, "/Account/Manage/TwoFactor", GetPost, ["Code", "ReturnUrl", "__RequestVerificationToken"], ["Enable", "Disable", "RecoveryCodes"]),

        new(AdminConsole, "/Admin/Index", GetPost, ["__RequestVerificationToken"]),
        new(AdminConsole, "/Admin/Denied", GetPost, ["__RequestVerificationToken"]),
        new(AdminConsole, "/Admin/Audit", GetPost, ["User", "Client", "Type", "From", "To", "Text", "p"]),
        new(AdminConsole, "/Admin/Sessions", GetPost, ["user", "p", "userId", "id", "__RequestVerificationToken"], ["End"]),
        new(AdminConsole, "/Admin/Clients/Index", GetPost, ["q", "p"]),
        new(AdminConsole, "/Admin/Clients/Create", GetPost, ClientFormFields),
        new(AdminConsole, "/Admin/Clients/Edit", GetPost, ["id", .. ClientFormFields], ["Save", "Rotate", "Delete"]),
        new(AdminConsole, "/Admin/Users/Index", GetPost, ["q", "p"]),
        new(AdminConsole, "/Admin/Users/Details", GetPost, ["id", "passkeyId", "__RequestVerificationToken"], ["Lock", "Unlock", "ResetTwoFactor", "EndSessions", "RemovePasskey"]),
    ];

    /// <summary>Names any endpoint may be sent: the protocol's, the pages', and ASP.NET Core's own.</summary>
    public static readonly string[] CommonNames =
    [
        "client_id", "client_secret", "redirect_uri", "scope", "state", "grant_type", "code", "token", "access_token", "id_token_hint",
        "ReturnUrl", "returnUrl", "handler", "__RequestVerificationToken", "Login", "Password", "Email", "Code", "provider", "error",
    ];
}
