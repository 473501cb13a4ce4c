using System.Text;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Draws one request for an endpoint: method, caller (session or none, antiforgery token or not), client
/// credentials or none, parameters with names and values from <see cref="FuzzInput"/>, spread over the query
/// and a body of some type.
/// </summary>
internal sealed class RequestGenerator(FuzzInput input, FuzzCallers callers)
{
    /// <summary>Kestrel refuses request lines over 8 KB: a longer query never reaches the real server.</summary>
    private const int MaxQuery = 8000;

    private static readonly string[] OtherMethods = ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"];
    private static readonly string[] Bodied = ["POST", "PUT", "PATCH"];

    private readonly PlausibleValues plausible = new(callers);
    private readonly FuzzBodies bodies = new(input);

    public FuzzRequest Next(FuzzTarget target)
    {
        var method = input.Chance(0.04) ? input.Pick(OtherMethods) : input.Pick(target.Methods);
        var caller = Caller(target);
        var hasBody = Bodied.Contains(method) ? input.Chance(0.95) : input.Chance(0.08);

        var query = new List<(byte[] Name, byte[] Value)>();
        var form = new List<(byte[] Name, byte[] Value)>();
        foreach (var (name, inQuery) in Names(target, hasBody))
        {
            var text = Encoding.UTF8.GetString(name);
            var value = input.Value(plausible.For(text), inQuery ? 2000 : input.Chance(0.02) ? 1 << 20 : 64 * 1024);
            (inQuery ? query : form).Add((name, value));
        }

        if (caller.AntiforgeryToken.Length > 0 && input.Chance(0.6))
        {
            (hasBody && input.Chance(0.9) ? form : query).Add(("__RequestVerificationToken"u8.ToArray(), FuzzInput.Utf8(caller.AntiforgeryToken)));
        }

        if (target.Handlers is { } handlers && input.Chance(0.7))
        {
            query.Add(("handler"u8.ToArray(), input.Chance(0.9) ? FuzzInput.Utf8(input.Pick(handlers)) : input.Value(handlers)));
        }

        var (body, contentType) = hasBody ? bodies.Write(Shuffled(form)) : (null, null);
        return new FuzzRequest(method, Path(target) + Query(query), caller.Name, Headers(target, caller), body, contentType);
    }

    private FuzzCaller Caller(FuzzTarget target)
    {
        var nobody = new FuzzCaller("nobody", "", "");
        var twoFactorPage = target.Path.Contains("LoginWith", StringComparison.Ordinal);
        var roll = input.Next(100);
        return target.Group switch
        {
            FuzzTargets.Manage => roll < 75 ? callers.Alice : roll < 90 ? callers.Anonymous : roll < 95 ? callers.Tess : nobody,
            _ when twoFactorPage => roll < 60 ? callers.Tess : roll < 80 ? callers.Anonymous : roll < 90 ? callers.Alice : nobody,
            FuzzTargets.Account => roll < 20 ? nobody : roll < 60 ? callers.Anonymous : roll < 80 ? callers.Alice : callers.Tess,
            _ => roll < 10 ? nobody : roll < 50 ? callers.Anonymous : roll < 95 ? callers.Alice : callers.Tess,
        };
    }

    /// <summary>Parameter names and where each goes: usually a handful, sometimes a flood or repeats.</summary>
    private IEnumerable<(byte[] Name, bool InQuery)> Names(FuzzTarget target, bool hasBody)
    {
        var count = input.Chance(0.04) ? input.Between(50, 2500) : input.Between(0, 8);
        var repeat = input.Chance(0.3) ? input.Name(target.Fields) : null;
        for (var i = 0; i < count; i++)
        {
            var name = repeat is not null && input.Chance(0.5) ? repeat : input.Name(input.Chance(0.75) ? target.Fields : FuzzTargets.CommonNames);
            yield return (name, !hasBody || input.Chance(0.2));
        }
    }

    private List<(byte[] Name, byte[] Value)> Shuffled(List<(byte[] Name, byte[] Value)> parameters)
    {
        for (var i = parameters.Count - 1; i > 0; i--)
        {
            var j = input.Next(i + 1);
            (parameters[i], parameters[j]) = (parameters[j], parameters[i]);
        }

        return parameters;
    }

    private string Path(FuzzTarget target)
    {
        var path = target.Path.Replace("{provider}", input.Next(10) switch
        {
            < 7 => "github",
            7 => input.Pick(["google", "upstream", "GitHub", ""]),
            // Without NUL: Kestrel answers a path with %00 in it 400 itself; the TestServer client throws instead.
            _ => input.UrlComponent([.. input.Value([]).Where(b => b != 0)]),
        }, StringComparison.Ordinal);
        return input.Next(100) switch
        {
            < 4 => path.ToUpperInvariant(),
            < 7 => path + "/",
            _ => path,
        };
    }

    private string Query(List<(byte[] Name, byte[] Value)> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            var pair = input.UrlComponent(name) + (input.Chance(0.97) ? "=" + input.UrlComponent(value) : "");
            if (query.Length + pair.Length + 1 > MaxQuery)
            {
                break;
            }

            query.Append(query.Length == 0 ? '?' : input.Chance(0.97) ? '&' : ';').Append(pair);
        }

        return query.Length == 0 && input.Chance(0.05) ? "?" : query.ToString();
    }

    private List<KeyValuePair<string, string>> Headers(FuzzTarget target, FuzzCaller caller)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var cookies = caller.Cookies;
        if (input.Chance(0.05))
        {
            var name = input.Pick(["idsrv.session", "idsrv.af", "idsrv.2fa", ".AspNetCore.Antiforgery.x", "a"]);
            cookies = (cookies.Length > 0 && input.Chance(0.5) ? cookies + "; " : "") + name + "=" + input.UrlComponent(input.Value([]));
        }

        if (cookies.Length > 0)
        {
            headers.Add(KeyValuePair.Create("Cookie", cookies));
        }

        if (Authorization(target) is { } authorization)
        {
            headers.Add(KeyValuePair.Create("Authorization", authorization));
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

    /// <summary>A registered client's Basic credentials, a wrong secret, garbage, or a bearer token.</summary>
    private string? Authorization(FuzzTarget target)
    {
        var roll = input.Next(100);
        if (target.Group != FuzzTargets.Protocol)
        {
            roll = roll < 85 ? 100 : roll;
        }

        string Basic(string id, string secret) => OAuth.BasicAuth(id, secret).ToString();
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
