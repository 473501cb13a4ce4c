using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityServer.Oidc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Cli;

/// <summary>
/// <c>token</c>: a real access token, signed with the server's keys, for a person or a client — to call an API while
/// building it. Development only, or where <c>Cli:AllowTokenMinting</c> is true: anyone who can run this holds the
/// signing keys anyway, but a production server should not make minting a habit.
/// </summary>
internal static class TokenVerb
{
    public const string Setting = "Cli:AllowTokenMinting";

    public static Command Create(CliHost host)
    {
        var user = new Option<string?>("--user") { Description = "Mint for this person (user name)." };
        var client = new Option<string?>("--client") { Description = "Mint for this client (alone), or the client a person's token is issued to." };
        var scopes = new Option<List<string>>("--scope") { Description = "A scope (repeat, or space-separated).", Arity = ArgumentArity.OneOrMore };
        var audiences = new Option<List<string>>("--audience") { Description = "An audience (repeat); by default the scopes' resources.", Arity = ArgumentArity.OneOrMore };
        var lifetime = new Option<string?>("--lifetime") { Description = "How long it is valid: 00:30:00, 90s, 30m, 2h; by default the server's access token lifetime." };
        var claims = new Option<List<string>>("--claim") { Description = "An extra claim, type=value (repeat).", Arity = ArgumentArity.OneOrMore };
        var issuer = new Option<string?>("--issuer") { Description = "The issuer, when IdentityServer:Issuer is not set (the server then uses its address)." };
        var decode = new Option<bool>("--decode") { Description = "Print the header and claims as JSON instead of the token." };
        var token = new Command("token", $"Development (or {Setting}): mint a signed access token with the server's keys.")
            { user, client, scopes, audiences, lifetime, claims, issuer, decode };
        token.SetAction(async (parsed, ct) =>
        {
            if (!host.HostEnvironment.IsDevelopment() && !host.Configuration.GetValue<bool>(Setting))
            {
                throw new CliFailure($"token runs only in Development, or where {Setting} is true (this is {host.HostEnvironment.EnvironmentName}).");
            }

            var (userName, clientId) = (parsed.GetValue(user), parsed.GetValue(client));
            if (userName is null && clientId is null)
            {
                throw new CliFailure("Name --user or --client.", CliFailure.Usage);
            }

            var request = new TokenRequest(userName, clientId,
                [.. (parsed.GetValue(scopes) ?? []).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)],
                parsed.GetValue(audiences) ?? [], Lifetime(parsed.GetValue(lifetime)), [.. (parsed.GetValue(claims) ?? []).Select(Claim)],
                Issuer(host, parsed.GetValue(issuer)));
            await using var scope = await host.ReadyAsync(ct);
            var jwt = await new TokenMinter(scope.ServiceProvider).MintAsync(request, ct);
            if (parsed.GetValue(decode))
            {
                Console.Out.WriteLine(Decode(jwt));
                return 0;
            }

            return CliOutput.Print(parsed, new { accessToken = jwt }, t => [t.accessToken]);
        });
        return token;
    }

    /// <summary>The header and claims of a JWT as one JSON document (the signature is not shown).</summary>
    public static string Decode(string jwt)
    {
        var parts = jwt.Split('.');
        var document = new JsonObject
        {
            ["header"] = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0])),
            ["claims"] = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1])),
        };
        return CliOutput.Serialize(document);
    }

    private static Uri Issuer(CliHost host, string? given)
    {
        if (host.Services.GetRequiredService<IOptions<OidcOptions>>().Value.Issuer is { } configured)
        {
            return configured;
        }

        if (given is not null)
        {
            return Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliFailure("--issuer: give an absolute http(s) URI, e.g. http://localhost:5000/.", CliFailure.Usage);
        }

        // Without IdentityServer:Issuer the server names itself after the address it is called on: the first one it
        // listens on (urls, ASPNETCORE_URLS), or Kestrel's default.
        var urls = host.Configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var first = urls.FirstOrDefault() ?? "http://localhost:5000";
        return Uri.TryCreate(first.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var address)
            ? address
            : throw new CliFailure("IdentityServer:Issuer is not set: pass --issuer with the address the server is called on.", CliFailure.Usage);
    }

    private static TimeSpan? Lifetime(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var unit = value.Length > 1 ? value[^1] : ' ';
        var parsed = unit is 's' or 'm' or 'h' or 'd' && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) }
            : TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero;
        return parsed > TimeSpan.Zero ? parsed : throw new CliFailure($"--lifetime: '{value}' is not a positive duration (00:30:00, 90s, 30m, 2h).", CliFailure.Usage);
    }

    private static KeyValuePair<string, string> Claim(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) is var split and > 0
            ? new(value[..split], value[(split + 1)..])
            : throw new CliFailure($"--claim: '{value}' is not type=value.", CliFailure.Usage);
}
