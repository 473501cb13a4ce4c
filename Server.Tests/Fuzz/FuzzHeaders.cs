using System.Text;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>A request's headers: the caller's cookies (sometimes with a forged one), client credentials or a bearer token, odd extras.</summary>
internal sealed class FuzzHeaders(FuzzInput input, FuzzCallers callers)
{
    /// <summary>Chaotic headers for a request.</summary>
    public List<KeyValuePair<string, string>> For(FuzzTarget target, FuzzCaller caller) => For(target, caller, false, null);

    /// <summary>A well-formed request's headers: the caller's cookies and the template's authorization.</summary>
    public List<KeyValuePair<string, string>> For(FuzzTarget target, FuzzCaller caller, string? authorization) => For(target, caller, true, authorization);

    private List<KeyValuePair<string, string>> For(FuzzTarget target, FuzzCaller caller, bool wellFormed, string? validAuthorization)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var cookies = caller.Cookies;
        if (!wellFormed && input.Chance(0.05))
        {
            var name = input.Pick(["idsrv.session", "idsrv.af", "idsrv.2fa", ".AspNetCore.Antiforgery.x", "a"]);
            cookies = (cookies.Length > 0 && input.Chance(0.5) ? cookies + "; " : "") + name + "=" + input.UrlComponent(input.Value([]));
        }

        if (cookies.Length > 0)
        {
            headers.Add(KeyValuePair.Create("Cookie", cookies));
        }

        if ((wellFormed ? validAuthorization : Authorization(target)) is { } authorization)
        {
            headers.Add(KeyValuePair.Create("Authorization", authorization));
        }

        if (wellFormed)
        {
            return headers;
        }

        if (caller.AntiforgeryToken.Length > 0 && input.Chance(0.05))
        {
            headers.Add(KeyValuePair.Create("RequestVerificationToken", caller.AntiforgeryToken));
        }

        if (input.Chance(0.03))
        {
            headers.Add(input.Pick([
                KeyValuePair.Create("Host", "evil.example"), KeyValuePair.Create("Host", "localhost:1"), KeyValuePair.Create("X-Forwarded-For", "1.2.3.4, ::1"),
                KeyValuePair.Create("X-Forwarded-Host", "evil.example"), KeyValuePair.Create("X-Forwarded-Proto", "https"),
                KeyValuePair.Create("Accept", "application/json;q=2, */*"), KeyValuePair.Create("Accept-Language", "xx-XX;q=nan"),
                KeyValuePair.Create("Origin", "http://evil.example"), KeyValuePair.Create("Content-Encoding", "gzip"),
            ]));
        }

        return headers;
    }

    private static string Basic(string id, string secret) => OAuth.BasicAuth(id, secret).ToString();

    /// <summary>A registered client's Basic credentials, a wrong secret, garbage, or a bearer token.</summary>
    private string? Authorization(FuzzTarget target)
    {
        var roll = input.Next(100);
        if (target.Group == FuzzTargets.Admin && input.Chance(0.6))
        {
            // Past the bearer check most of the time: the malformed queries and bodies must reach the handlers.
            return "Bearer " + callers.Tokens[FuzzCallers.AdminToken];
        }

        if (target.Group != FuzzTargets.Protocol)
        {
            roll = roll < 85 ? 100 : roll;
        }

        return roll switch
        {
            < 12 => Basic(OAuth.Web, OAuth.WebSecret),
            < 20 => Basic(OAuth.Machine, OAuth.MachineSecret),
            < 28 => Basic(OAuth.Api, OAuth.ApiSecret),
            < 33 => Basic(input.Pick([OAuth.Web, OAuth.Machine, OAuth.Spa, "nobody"]), "wrong-secret"),
            < 43 => input.Next(5) switch
            {
                0 => "Basic " + Convert.ToBase64String(input.Value([OAuth.Web + ":" + OAuth.WebSecret, "%zz:%C0", ":", "a:"])),
                1 => "Basic " + input.UrlComponent(input.Value([])),
                2 => input.Pick(["Basic", "Basic ", "Basic =", "Basic ====", "basic d2ViOg==", "Basic Og==", "Basic " + new string('A', 12000)]),
                3 => Basic(Encoding.UTF8.GetString(input.Value([OAuth.Web])), Encoding.UTF8.GetString(input.Value([OAuth.WebSecret]))),
                _ => input.UrlComponent(input.Value(["Basic", "Bearer", "Digest", "Negotiate"])) + " " + input.UrlComponent(input.Value([])),
            },
            < 60 => "Bearer " + (input.Chance(0.7) ? input.Pick(callers.Tokens.Values.ToList()) : input.UrlComponent(input.Value([.. callers.Tokens.Values]))),
            _ => null,
        };
    }
}
