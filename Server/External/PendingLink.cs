using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityServer.External;

/// <summary>
/// Carries a verified external identity from the callback to the page where the person proves the
/// matching local account's password: an HttpOnly cookie, protected and valid for 10 minutes.
/// </summary>
internal static class PendingLink
{
    private const string Cookie = "idsrv.link";

    public static void Set(HttpContext context, ExternalIdentity identity)
    {
        var payload = Protector(context).Protect(JsonSerializer.Serialize(identity), TimeSpan.FromMinutes(10));
        context.Response.Cookies.Append(Cookie, payload, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/Account", MaxAge = TimeSpan.FromMinutes(10),
        });
    }

    public static ExternalIdentity? Get(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(Cookie, out var payload) || payload is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ExternalIdentity>(Protector(context).Unprotect(payload));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/Account" });

    private static ITimeLimitedDataProtector Protector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("IdentityServer.External.PendingLink").ToTimeLimitedDataProtector();
}
