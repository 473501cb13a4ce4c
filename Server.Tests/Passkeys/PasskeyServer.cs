using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Passkeys;

/// <summary>A server where a new account is signed in at once (no confirmation mail), as passwordless registration needs.</summary>
public sealed class PasskeyServer : ServerFactory
{
    public PasskeyServer() => Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
}
