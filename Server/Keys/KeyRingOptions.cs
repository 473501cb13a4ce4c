using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace IdentityServer.Keys;

/// <summary>
/// Hands the key ring to OpenIddict: its published keys become the signing credentials, active ones first
/// (OpenIddict signs with the first, and publishes all of them in the JWKS).
/// </summary>
internal sealed class KeyRingServerOptions(KeyRing ring) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options) =>
        options.SigningCredentials.AddRange(ring.Keys.Select(k => new SigningCredentials(k.Key, k.Algorithm)));
}

/// <summary>Tells the options monitors that the ring changed, the server's first, then validation's, which copies the server's keys.</summary>
internal sealed class KeyRingChanges(KeyRing ring) : IOptionsChangeTokenSource<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictValidationOptions>
{
    public string Name => Options.DefaultName;

    IChangeToken IOptionsChangeTokenSource<OpenIddictServerOptions>.GetChangeToken() => ring.ServerChanges;

    IChangeToken IOptionsChangeTokenSource<OpenIddictValidationOptions>.GetChangeToken() => ring.ValidationChanges;
}

/// <summary>Reloads the ring on the first request after it is due (a key changes state, or a minute has passed).</summary>
internal sealed class KeyRingRefresh(RequestDelegate next, KeyRing ring, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context) =>
        time.GetUtcNow() >= ring.NextCheck ? RefreshThenAsync(context) : next(context);

    private async Task RefreshThenAsync(HttpContext context)
    {
        await ring.RefreshAsync(context.RequestAborted, wait: false);
        await next(context);
    }
}
