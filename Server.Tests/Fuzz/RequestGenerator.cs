using System.Text;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Draws one request for an endpoint: method, caller (session or none, antiforgery token or not), client
/// credentials or none, parameters with names and values from <see cref="FuzzInput"/>, spread over the query
/// and a body of some type. Two in five are well-formed — the endpoint's own fields, mostly plausible
/// values, standard encoding, the right content type and token — so the code behind the first checks
/// (consent, code issuance, sign-in, token exchange) is reached too; the rest are chaos.
/// </summary>
internal sealed class RequestGenerator(FuzzInput input, FuzzCallers callers)
{
    /// <summary>Kestrel refuses request lines over 8 KB: a longer query never reaches the real server.</summary>
    private const int MaxQuery = 8000;

    private static readonly string[] OtherMethods = ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"];
    private static readonly string[] Bodied = ["POST", "PUT", "PATCH"];

    private readonly PlausibleValues plausible = new(callers);
    private readonly FuzzBodies bodies = new(input);
    private readonly FuzzHeaders headers = new(input, callers);

    public FuzzRequest Next(FuzzTarget target) => input.Chance(0.4) ? WellFormed(target) : Chaotic(target);

    private FuzzRequest WellFormed(FuzzTarget target)
    {
        var method = input.Pick(target.Methods);
        var caller = Caller(target);
        var template = Templates.For(target, callers, input);
        List<(byte[] Name, byte[] Value)> parameters = template is { } valid
            ? [.. valid.Fields.Select(f => (FuzzInput.Utf8(f.Key), FuzzInput.Utf8(f.Value)))]
            : [.. target.Fields.Where(f => f != "__RequestVerificationToken" && input.Chance(0.6)).Select(f => (FuzzInput.Utf8(f), Plausible(f)))];
        switch (input.Next(parameters.Count == 0 ? 2 : 5))
        {
            case 0:
                break;
            case 1:
                parameters.Add((input.Name(target.Fields), input.Value([])));
                break;
            case 2:
                parameters.RemoveAt(input.Next(parameters.Count));
                break;
            default:
                var at = input.Next(parameters.Count);
                parameters[at] = (parameters[at].Name, input.Chance(0.5) ? Plausible(Encoding.UTF8.GetString(parameters[at].Name)) : input.Value([]));
                break;
        }

        if (caller.AntiforgeryToken.Length > 0 && input.Chance(0.9))
        {
            parameters.Add(("__RequestVerificationToken"u8.ToArray(), FuzzInput.Utf8(caller.AntiforgeryToken)));
        }

        var query = target.Handlers is { } handlers && input.Chance(0.9) ? "?handler=" + input.Pick(handlers) : "";
        var post = method == "POST";
        if (target.Json && post)
        {
            return new FuzzRequest(method, Path(target) + query, caller.Name + ", well-formed JSON", headers.For(target, caller, template?.Authorization), JsonBody(parameters), "application/json");
        }

        var encoded = string.Join('&', parameters.Select(p => input.Escaped(p.Name) + "=" + input.Escaped(p.Value)));
        query += encoded.Length == 0 || post ? "" : (query.Length == 0 ? "?" : "&") + encoded;
        return new FuzzRequest(method, Path(target) + query, caller.Name + ", well-formed", headers.For(target, caller, template is { } t ? t.Authorization : null),
            post ? Encoding.ASCII.GetBytes(encoded) : null, post ? "application/x-www-form-urlencoded" : null);
    }

    /// <summary>The admin API's path parameters and values that name something real (or nearly).</summary>
    private (string Placeholder, Func<string[]> Known)[] AdminPlaceholders =>
    [
        ("{clientId}", () => [OAuth.Spa, OAuth.Machine, FuzzCallers.AdminCli, "fuzz-1", "unknown-client", callers.RegisteredClientId]),
        ("{name}", () => ["api", "openid", "fuzz-scope-1", "unknown"]),
        ("{id}", () => [callers.AliceId, callers.VictimId, callers.PasswordlessId, Guid.NewGuid().ToString(), ""]),
        ("{passkeyId}", () => [.. callers.PasskeyIds, "AAAAAAAAAAAAAAAAAAAAAA", "not*base64url", "%20", "A"]),
        ("{handle}", () => ["AAAAAAAAAAAA", "short", "zzzzzzzzzzzz"]),
    ];

    private FuzzRequest Chaotic(FuzzTarget target)
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
        return new FuzzRequest(method, Path(target) + Query(query), caller.Name, headers.For(target, caller), body, contentType);
    }

    /// <summary>The parameters as one JSON object, list members (<see cref="FuzzTargets.JsonArrays"/>) as arrays of their space-separated values.</summary>
    private static byte[] JsonBody(List<(byte[] Name, byte[] Value)> parameters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                var key = Encoding.UTF8.GetString(name);
                var text = Encoding.UTF8.GetString(value);
                json.WritePropertyName(key);
                if (FuzzTargets.JsonArrays.Contains(key, StringComparer.Ordinal))
                {
                    json.WriteStartArray();
                    text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList().ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteStringValue(text);
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private byte[] Plausible(string field) =>
        plausible.For(field) is { Count: > 0 } values && input.Chance(0.85) ? FuzzInput.Utf8(input.Pick(values)) : input.Value(plausible.For(field));

    private FuzzCaller Caller(FuzzTarget target)
    {
        var nobody = new FuzzCaller("nobody", "", "");
        var twoFactorPage = target.Path.Contains("LoginWith", StringComparison.Ordinal);
        var roll = input.Next(100);
        return target.Group switch
        {
            FuzzTargets.Manage => roll < 75 ? callers.Alice : roll < 90 ? callers.Anonymous : roll < 95 ? callers.Tess : nobody,
            FuzzTargets.AdminConsole => roll < 75 ? callers.ConsoleAdmin : roll < 85 ? callers.Alice : roll < 95 ? callers.Anonymous : nobody,
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
            // Escaped, and without NUL: Kestrel answers a path with %00 in it 400 itself; the TestServer client throws instead.
            _ => input.Escaped([.. input.Value([]).Where(b => b != 0)]),
        }, StringComparison.Ordinal).Replace("{client_id}", input.Next(10) switch
        {
            < 7 => callers.RegisteredClientId,
            7 => input.Pick([OAuth.Spa, "unknown-client", ""]),
            _ => input.Escaped([.. input.Value([]).Where(b => b != 0)]),
        }, StringComparison.Ordinal);
        foreach (var (placeholder, known) in AdminPlaceholders)
        {
            path = path.Replace(placeholder, input.Next(10) switch
            {
                < 7 => input.Pick(known()),
                _ => input.Escaped([.. input.Value([]).Where(b => b != 0)]),
            }, StringComparison.Ordinal);
        }

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
}
