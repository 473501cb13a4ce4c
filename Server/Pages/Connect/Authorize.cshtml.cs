using Microsoft.AspNetCore;
using System.Globalization;
using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Oidc;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Connect;

/// <summary>
/// The authorization endpoint. OpenIddict has validated the protocol request; this page decides who the
/// person is (sending them to sign in when needed), whether they consented, and then issues the code.
/// Client apps may POST authorization requests, so anti-forgery is checked only on the consent form.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class AuthorizeModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    TokenPrincipalFactory principals,
    SessionManager sessions,
    ConsentScopes consentScopes,
    AuthorizationErrorRedirect errorRedirect,
    IAntiforgery antiforgery,
    IDataProtectionProvider dataProtection,
    TimeProvider time) : PageModel
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;
    internal const string ConsentField = "consent";
    internal const string ReauthField = "reauth";
    private static readonly TimeSpan ReauthMarkerLifetime = TimeSpan.FromMinutes(5);

    /// <summary>max_age beyond this (ten years) is not a real request; it is refused rather than computed with.</summary>
    private const long MaxAgeLimit = 10L * 366 * 24 * 3600;

    public string ClientName { get; private set; } = "";

    public IReadOnlyList<ConsentScope> RequestedScopes { get; private set; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> RequestParameters { get; private set; } = [];

    public string? Error { get; private set; }

    public string? ErrorDescription { get; private set; }

    public Task<IActionResult> OnGetAsync() => HandleAsync();

    public Task<IActionResult> OnPostAsync() => HandleAsync();

    private async Task<IActionResult> HandleAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest();
        if (request is null)
        {
            return ShowError(Errors.InvalidRequest, "This address only accepts OpenID Connect authorization requests.");
        }

        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return await errorRedirect.TryBuildAsync(HttpContext, request, failure) is { } redirect
                ? Redirect(redirect)
                : ShowError(failure.Error, failure.ErrorDescription);
        }

        if (request.MaxAge is < 0 or > MaxAgeLimit)
        {
            return ShowError(Errors.InvalidRequest, "The max_age parameter must be a number of seconds between 0 and ten years.");
        }

        var cookie = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        var authenticatedAt = cookie.Succeeded ? DatabaseTicketStore.AuthenticatedAt(cookie.Properties) : null;
        if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user) || MustReauthenticate(request, authenticatedAt))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Reject(Errors.LoginRequired, "The user is not signed in.");
            }

            return LocalRedirect(QueryString.Create([
                KeyValuePair.Create("ReturnUrl", (string?)ReturnUrlForLogin()),
                KeyValuePair.Create("LoginHint", request.LoginHint),
            ]).ToUriComponent().Insert(0, "/Account/Login"));
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, HttpContext.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict validated a client that does not exist.");
        var scopes = request.GetScopes();
        var applicationId = (await applications.GetIdAsync(application, HttpContext.RequestAborted))!;
        var existing = await FindPermanentAuthorizationAsync(user, applicationId, scopes);

        if (Request.HasFormContentType && Request.Form.TryGetValue(ConsentField, out var decision))
        {
            if (!await antiforgery.IsRequestValidAsync(HttpContext))
            {
                return ShowError(Errors.InvalidRequest, "The consent form has expired or was not sent by this site. Go back to the app and try again.", StatusCodes.Status400BadRequest);
            }

            return decision == "accept"
                ? await IssueAsync(user, applicationId, scopes, authenticatedAt, existing, forceNew: true)
                : Reject(Errors.AccessDenied, "The user denied the request.");
        }

        var consentType = await applications.GetConsentTypeAsync(application, HttpContext.RequestAborted);
        if (consentType == ConsentTypes.Implicit || (existing is not null && !request.HasPromptValue(PromptValues.Consent)))
        {
            return await IssueAsync(user, applicationId, scopes, authenticatedAt, existing, forceNew: false);
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return Reject(Errors.ConsentRequired, "The user has not consented to this app.");
        }

        ClientName = await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted) ?? request.ClientId!;
        RequestedScopes = await consentScopes.DescribeAsync(scopes, HttpContext.RequestAborted);
        RequestParameters = CurrentParameters().Where(p => p.Key != ConsentField && p.Key != "__RequestVerificationToken")
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))).ToList();
        return Page();
    }

    /// <summary>
    /// The permanent authorization records the consent; the code and its tokens hang off an ad-hoc
    /// authorization tied to this browser session, so ending the session revokes them.
    /// </summary>
    private async Task<IActionResult> IssueAsync(ApplicationUser user, string applicationId, System.Collections.Immutable.ImmutableArray<string> scopes,
        DateTimeOffset? authenticatedAt, object? existing, bool forceNew)
    {
        var ct = HttpContext.RequestAborted;
        var principal = await principals.CreateForUserAsync(user, scopes, authenticatedAt, ct);
        if (forceNew || existing is null)
        {
            await authorizations.CreateAsync(principal, user.Id, applicationId, AuthorizationTypes.Permanent, scopes, ct);
        }

        // A session asking again for the same app and scopes (silent renewals, prompt=none) reuses its grant
        // instead of adding a row per request.
        var sessionId = DatabaseTicketStore.CurrentSessionId(HttpContext);
        var grantId = sessionId is null ? null : await ReusableGrantAsync(sessionId, applicationId, scopes, ct);
        if (grantId is null)
        {
            var grant = await authorizations.CreateAsync(principal, user.Id, applicationId, AuthorizationTypes.AdHoc, scopes, ct);
            grantId = (await authorizations.GetIdAsync(grant, ct))!;
            if (sessionId is not null)
            {
                await sessions.AddGrantAsync(sessionId, grantId, ct);
            }
        }

        principal.SetAuthorizationId(grantId);
        return SignIn(principal, Scheme);
    }

    private async Task<string?> ReusableGrantAsync(string sessionId, string applicationId, System.Collections.Immutable.ImmutableArray<string> scopes, CancellationToken ct)
    {
        foreach (var id in await sessions.ValidGrantsAsync(sessionId, applicationId, ct))
        {
            if (await authorizations.FindByIdAsync(id, ct) is { } grant
                && (await authorizations.GetScopesAsync(grant, ct)).ToHashSet(StringComparer.Ordinal).SetEquals(scopes))
            {
                return id;
            }
        }

        return null;
    }

    private async Task<object?> FindPermanentAuthorizationAsync(ApplicationUser user, string applicationId, System.Collections.Immutable.ImmutableArray<string> scopes)
    {
        await foreach (var authorization in authorizations.FindAsync(user.Id, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, HttpContext.RequestAborted))
        {
            return authorization;
        }

        return null;
    }

    /// <summary>
    /// prompt=login and max_age force a fresh sign-in, judged by the instant the session records for the last
    /// interactive authentication (cookie renewals never move it). After prompt=login the return address carries
    /// a marker: it names this exact request, expires after a few minutes, and only a sign-in made after it
    /// was issued satisfies it.
    /// </summary>
    private bool MustReauthenticate(OpenIddictRequest request, DateTimeOffset? authenticatedAt)
    {
        if (authenticatedAt is not { } at)
        {
            return true;
        }

        if (request.HasPromptValue(PromptValues.Login))
        {
            return ReadReauthMarker() is not { } askedAt || at < askedAt;
        }

        return request.MaxAge is { } maxAge && (time.GetUtcNow() - at).TotalSeconds > maxAge;
    }

    private DateTimeOffset? ReadReauthMarker()
    {
        var value = CurrentParameters().FirstOrDefault(p => p.Key == ReauthField).Value.ToString();
        if (string.IsNullOrEmpty(value) || value.Length > 1024)
        {
            return null;
        }

        try
        {
            var parts = Protector().Unprotect(value).Split('|');
            var askedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture));
            var now = time.GetUtcNow();
            return parts.Length == 2 && parts[1] == RequestFingerprint() && askedAt <= now && now - askedAt <= ReauthMarkerLifetime
                ? askedAt
                : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private string ReturnUrlForLogin()
    {
        var marker = Protector().Protect(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeSeconds()}|{RequestFingerprint()}"));
        var parameters = ProtocolParameters().Append(KeyValuePair.Create(ReauthField, new StringValues(marker)));
        return Request.PathBase + Request.Path + QueryString.Create(parameters);
    }

    /// <summary>A hash of the request's own parameters, so a marker cannot be moved to another request.</summary>
    private string RequestFingerprint()
    {
        var text = string.Join('&', ProtocolParameters().OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + string.Join(',', p.Value.Select(v => Uri.EscapeDataString(v ?? "")))));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private IEnumerable<KeyValuePair<string, StringValues>> ProtocolParameters() =>
        CurrentParameters().Where(p => p.Key is not (ReauthField or ConsentField or "__RequestVerificationToken"));

    private IEnumerable<KeyValuePair<string, StringValues>> CurrentParameters() =>
        Request.HasFormContentType ? Request.Form : Request.Query;

    private IDataProtector Protector() => dataProtection.CreateProtector("IdentityServer.Authorize.Reauth");

    private ForbidResult Reject(string error, string description) => Forbid(new AuthenticationProperties(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    }), Scheme);

    private PageResult ShowError(string? error, string? description, int status = StatusCodes.Status400BadRequest)
    {
        Error = error ?? Errors.InvalidRequest;
        ErrorDescription = description;
        Response.StatusCode = status;
        return Page();
    }
}
