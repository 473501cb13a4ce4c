using Microsoft.Playwright;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// Chromium's virtual WebAuthn authenticator, through the DevTools protocol: a platform authenticator that keeps
/// discoverable credentials, verifies the user and approves every request without a prompt.
/// </summary>
internal sealed class VirtualAuthenticator(ICDPSession cdp, string id)
{
    public static async Task<VirtualAuthenticator> AddAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>How many credentials the authenticator holds (it forgets none when the server does).</summary>
    public async Task<int> CountAsync()
    {
        var result = await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = id });
        return result!.Value.GetProperty("credentials").GetArrayLength();
    }
}
