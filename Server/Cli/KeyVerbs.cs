using System.CommandLine;
using IdentityServer.Keys;

namespace IdentityServer.Cli;

/// <summary>
/// <c>keys list</c> (every signing key and its state), <c>keys revoke &lt;kid&gt;</c> and <c>keys rotate [--now]</c>: a new key announced now that
/// signs after the propagation period, or, with <c>--now</c>, one that signs at once (a key believed leaked).
/// </summary>
internal static class KeyVerbs
{
    private sealed record KeyRow(string Kid, string Algorithm, string State, DateTimeOffset ActivatesAt, DateTimeOffset? RetiredAt, string Origin);

    public static Command Create(CliHost host)
    {
        var keys = new Command("keys", "List the signing keys; rotate them.");
        var list = new Command("list", "Every published signing key: announced, active or retired.");
        list.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var rows = Ring(host).Keys.Select(k => new KeyRow(k.Kid, k.Algorithm, k.Schedule.State.ToString().ToLowerInvariant(), k.Schedule.ActivatesAt,
                k.Schedule.RetiredAt, k.Schedule.Row.Origin)).ToList();
            return CliOutput.Print(parsed, rows, items => CliOutput.Table(items.Select(k => new[]
                { k.Kid, k.Algorithm, k.State, k.ActivatesAt.ToString("u"), k.RetiredAt?.ToString("u") ?? "-", k.Origin })));
        });

        var now = new Option<bool>("--now") { Description = "Sign with the new key at once (APIs that cached the JWKS reject it until they fetch it again)." };
        var rotate = new Command("rotate", "Announce a new signing key now; it signs after the propagation period (or at once with --now).") { now };
        rotate.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            Ring(host);
            var changes = await scope.ServiceProvider.GetRequiredService<KeyRotation>().RotateAsync(parsed.GetValue(now), ct);
            return CliOutput.Print(parsed, changes, items => items.Count == 0
                ? ["A new key is already announced; nothing to do (--now makes a new one sign at once)."]
                : items.Select(c => $"{c.Algorithm} {c.Kid}: {c.What}"));
        });

        var kid = new Argument<string>("kid") { Description = "The key's kid, as 'keys list' shows it." };
        var revoke = new Command("revoke", "Remove a retired or announced key at once (one believed leaked): the tokens it signed stop validating.") { kid };
        revoke.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            Ring(host);
            KeyChange? change;
            try
            {
                change = await scope.ServiceProvider.GetRequiredService<KeyRotation>().RevokeAsync(parsed.GetValue(kid)!, ct);
            }
            catch (InvalidOperationException e)
            {
                throw new CliFailure(e.Message, CliFailure.Failed);
            }

            if (change is null)
            {
                throw new CliFailure($"No signing key with the kid '{parsed.GetValue(kid)}'.", CliFailure.Failed);
            }

            return CliOutput.Print(parsed, change, c => [$"{c.Algorithm} {c.Kid}: {c.What}"]);
        });

        keys.Add(list);
        keys.Add(rotate);
        keys.Add(revoke);
        return keys;
    }

    private static KeyRing Ring(CliHost host) => host.Services.GetService<KeyRing>()
        ?? throw new CliFailure($"Key rotation is off ({KeyRotationOptions.Section}:Enabled is false): the key files sign.", CliFailure.Failed);
}
