namespace IdentityServer.BackchannelLogout;

/// <summary>What back-channel logout needs from the other sections (each URI itself is checked with its client, in Seeding).</summary>
internal static class BackchannelLogoutRules
{
    /// <param name="declaredUris">Each declared client's BackchannelLogoutUri, by position in IdentityServer:Clients.</param>
    public static IEnumerable<string> Check(BackchannelLogoutOptions options, IReadOnlyList<string?> declaredUris, Uri? issuer)
    {
        var first = declaredUris.Select((uri, index) => (uri, index)).FirstOrDefault(c => !string.IsNullOrEmpty(c.uri));
        if (options.Enabled && issuer is null && first.uri is not null)
        {
            yield return $"IdentityServer:Issuer: back-channel logout (IdentityServer:Clients:{first.index}:BackchannelLogoutUri) needs an explicit issuer: "
                + "logout tokens are sent outside any request, so the issuer cannot be taken from one.";
        }
    }
}
