using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// Decides whether an authorization request OpenIddict has validated may be answered now: who the person is
/// (and whether they must sign in again for prompt=login or max_age), whether they consented, and then issues
/// the authorization. The page at /connect/authorize only renders what this returns.
/// </summary>
internal sealed class AuthorizationDecision(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOpenIddictApplicationManager applications,
    AuthorizationIssuer issuer,
    ConsentScopes consentScopes,
    AuthorizationErrorRedirect errorRedirect,
    RequestMarkers markers,
    StepUp stepUp,
    AuditTrail audit,
    TimeProvider time)
{
    /// <summary>OpenID Connect's prompt=create (Initiating User Registration via OpenID Connect 1.0).</summary>
    public const string PromptCreate = "create";

    public const string Accept = "accept";
    public const string Deny = "deny";

    /// <summary>max_age beyond this (ten years) is not a real request; it is refused rather than computed with.</summary>
    private const long MaxAgeLimit = 10L * 366 * 24 * 3600;

    public async Task<AuthorizationOutcome> DecideAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null)
        {
            return new AuthorizationOutcome.ShowError(Errors.InvalidRequest, "This address only accepts OpenID Connect authorization requests.");
        }

        if (context.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return await errorRedirect.TryBuildAsync(context, request, failure) is { } redirect
                ? new AuthorizationOutcome.RedirectToClient(redirect)
                : new AuthorizationOutcome.ShowError(failure.Error, failure.ErrorDescription);
        }

        if (request.MaxAge is < 0 or > MaxAgeLimit)
        {
            return new AuthorizationOutcome.ShowError(Errors.InvalidRequest, "The max_age parameter must be a number of seconds between 0 and ten years.");
        }

        var parameters = Parameters(context.Request);
        if (request.HasPromptValue(PromptCreate) && markers.Read(RequestMarkers.Reauthentication, parameters) is null)
        {
            // OpenIddict accepts create only while registration is open (AccountsSetup). The marker in the way back
            // says registration was offered for this request: the flow then goes on as usual.
            return new AuthorizationOutcome.SignInFirst(PageAddress("/Account/Register", context.Request, WithoutPromptCreate(parameters), null));
        }

        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        var authentication = cookie.Succeeded ? SessionAuthentication.From(cookie.Properties) : SessionAuthentication.None;
        if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user) || MustReauthenticate(request, parameters, authentication.At))
        {
            return request.HasPromptValue(PromptValues.None)
                ? new AuthorizationOutcome.Refuse(Errors.LoginRequired, "The user is not signed in.")
                : new AuthorizationOutcome.SignInFirst(PageAddress("/Account/Login", context.Request, parameters, request.LoginHint));
        }

        var ct = context.RequestAborted;
        var application = await applications.FindByClientIdAsync(request.ClientId!, ct)
            ?? throw new InvalidOperationException("OpenIddict validated a client that does not exist.");
        if (await stepUp.IsNeededAsync(request, application, authentication, ct))
        {
            return request.HasPromptValue(PromptValues.None)
                ? new AuthorizationOutcome.Refuse(Errors.InteractionRequired, "A recent second factor is required.")
                : new AuthorizationOutcome.SignInFirst(await stepUp.BeginAsync(user, context, ReturnAddress(context.Request, parameters)));
        }

        var applicationId = (await applications.GetIdAsync(application, ct))!;
        var scopes = request.GetScopes();
        var sessionId = DatabaseTicketStore.CurrentSessionId(context);
        var sid = DatabaseTicketStore.CurrentSid(context);
        var consented = await issuer.HasConsentAsync(user, applicationId, scopes, ct);

        // A consent already on record is not recorded again, however often an answer is presented.
        switch (ConsentAnswer(parameters, user))
        {
            case Accept:
                if (!consented)
                {
                    await audit.RecordAsync(new AuditRecord(AuditEventTypes.ConsentGranted) { UserId = user.Id, UserName = user.UserName, ClientId = request.ClientId, Details = new { scopes } }, ct);
                }

                return new AuthorizationOutcome.Issue(await issuer.IssueAsync(user, applicationId, scopes, request.GetResources(), authentication, recordConsent: !consented, sessionId, sid, ct));
            case Deny:
                return new AuthorizationOutcome.Refuse(Errors.AccessDenied, "The user denied the request.");
        }

        var consentType = await applications.GetConsentTypeAsync(application, ct);
        if (consentType == ConsentTypes.Implicit || (consented && consentType != ConsentTypes.Systematic && !request.HasPromptValue(PromptValues.Consent)))
        {
            return new AuthorizationOutcome.Issue(await issuer.IssueAsync(user, applicationId, scopes, request.GetResources(), authentication, recordConsent: !consented, sessionId, sid, ct));
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return new AuthorizationOutcome.Refuse(Errors.ConsentRequired, "The user has not consented to this app.");
        }

        var clientName = await applications.GetLocalizedDisplayNameAsync(application, ct) ?? request.ClientId!;
        var formFields = RequestMarkers.ProtocolParameters(parameters).Concat(parameters.Where(p => p.Key == RequestMarkers.Reauthentication)).ToList();
        return new AuthorizationOutcome.AskConsent(clientName, await SelfDescribedOriginAsync(application, request.RedirectUri, ct), await consentScopes.DescribeAsync(scopes, ct), formFields);
    }

    /// <summary>
    /// Where a client that describes itself comes from, for the consent page to show beside its self-chosen name:
    /// the host of its metadata document, or for a registered client the host this request's code is sent to (OpenIddict
    /// has checked it is one of the client's redirect URIs). Not its first registered one: a client may register a
    /// trusted-looking host first and send the code to its own second.
    /// </summary>
    private async Task<ClientOrigin?> SelfDescribedOriginAsync(object application, string? redirectUri, CancellationToken ct)
    {
        var settings = await applications.GetSettingsAsync(application, ct);
        if (!settings.TryGetValue(ClientSettings.SelfDescribed, out var kind))
        {
            return null;
        }

        var source = kind == ClientSettings.FromDocument ? await applications.GetClientIdAsync(application, ct) : redirectUri;
        var host = Uri.TryCreate(source, UriKind.Absolute, out var uri) ? uri.IdnHost : "an unknown host";
        return new ClientOrigin(host, kind == ClientSettings.FromDocument);
    }

    /// <summary>
    /// prompt=login and max_age force a fresh sign-in, judged by the instant the session records for the last
    /// interactive authentication (cookie renewals never move it). After prompt=login the return address
    /// carries a marker, and only a sign-in made after the marker was issued satisfies it.
    /// </summary>
    private bool MustReauthenticate(OpenIddictRequest request, List<KeyValuePair<string, StringValues>> parameters, DateTimeOffset? authenticatedAt)
    {
        if (authenticatedAt is not { } at)
        {
            return true;
        }

        if (request.HasPromptValue(PromptValues.Login))
        {
            return markers.Read(RequestMarkers.Reauthentication, parameters) is not { } marker || at < marker.IssuedAt;
        }

        return request.MaxAge is { } maxAge && (time.GetUtcNow() - at).TotalSeconds > maxAge;
    }

    /// <summary>The answer the consent form gave for exactly this request, by this user, a few minutes ago at most.</summary>
    private string? ConsentAnswer(List<KeyValuePair<string, StringValues>> parameters, ApplicationUser user) =>
        markers.Read(RequestMarkers.Consent, parameters) is { Payload: var payload } && payload.Split('|') is [var answer, var userId] && userId == user.Id
            ? answer
            : null;

    /// <summary>The sign-in (or registration) page, with the way back to this request and a fresh marker in it.</summary>
    private string PageAddress(string page, HttpRequest http, List<KeyValuePair<string, StringValues>> parameters, string? loginHint)
    {
        var protocol = RequestMarkers.ProtocolParameters(parameters).ToList();
        var marker = markers.Create(RequestMarkers.Reauthentication, protocol, "");
        var returnUrl = http.PathBase + http.Path + QueryString.Create(protocol.Append(KeyValuePair.Create(RequestMarkers.Reauthentication, new StringValues(marker))));
        return page + QueryString.Create([KeyValuePair.Create("ReturnUrl", (string?)returnUrl), KeyValuePair.Create("LoginHint", loginHint)]).ToUriComponent();
    }

    /// <summary>
    /// The way back from registration asks for what the request asked but the registration page, so the person is
    /// not offered it again however long confirming their address takes. A pushed request cannot be changed: its
    /// marker stands for the offer instead.
    /// </summary>
    private static List<KeyValuePair<string, StringValues>> WithoutPromptCreate(List<KeyValuePair<string, StringValues>> parameters) =>
    [
        .. parameters
            .Select(p => p.Key != OpenIddictConstants.Parameters.Prompt ? p
                : KeyValuePair.Create(p.Key, new StringValues(string.Join(' ', p.Value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(v => v != PromptCreate)))))
            .Where(p => p.Key != OpenIddictConstants.Parameters.Prompt || p.Value.ToString().Length > 0),
    ];

    /// <summary>The way back to this request as it stands, with the sign-in marker it already carries (prompt=login stays met).</summary>
    private static string ReturnAddress(HttpRequest http, List<KeyValuePair<string, StringValues>> parameters) =>
        http.PathBase + http.Path + QueryString.Create(RequestMarkers.ProtocolParameters(parameters).Concat(parameters.Where(p => p.Key == RequestMarkers.Reauthentication)));

    /// <summary>
    /// The request's parameters where OpenIddict read them: the query of a GET, the form of a POST — never the
    /// body of a GET (an answer hidden there once passed for the request's own). Not the parameters OpenIddict
    /// resolved: for a pushed request those are the pushed ones, and the markers travel in the address.
    /// </summary>
    private static List<KeyValuePair<string, StringValues>> Parameters(HttpRequest http) =>
        HttpMethods.IsPost(http.Method) && http.HasFormContentType ? [.. http.Form] : [.. http.Query];
}
