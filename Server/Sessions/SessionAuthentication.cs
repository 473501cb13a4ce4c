using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace IdentityServer.Sessions;

/// <summary>
/// How the person behind a session authenticated: the instant of the last interactive authentication, the
/// RFC 8176 method references (<c>pwd</c>, <c>otp</c>, <c>mfa</c>, <c>ext</c>), and when a second factor was
/// last checked. The methods and that instant live in the ticket's properties, which the server keeps in the
/// session row (the cookie holds only an id), so no request can set them.
/// </summary>
internal sealed record SessionAuthentication(DateTimeOffset? At, IReadOnlyList<string> Methods, DateTimeOffset? SecondFactorAt)
{
    public const string MethodsItem = ".idsrv.amr";
    public const string SecondFactorAtItem = ".idsrv.mfa_time";

    public static SessionAuthentication None { get; } = new(null, [], null);

    public bool HasSecondFactor => Methods.Contains(AuthenticationMethods.MultiFactor);

    /// <summary>Whether a second factor was checked no longer than <paramref name="window"/> before <paramref name="now"/>.</summary>
    public bool HasFreshSecondFactor(DateTimeOffset now, TimeSpan window) =>
        HasSecondFactor && SecondFactorAt is { } at && now - at <= window && at <= now + TimeSpan.FromMinutes(1);

    public static SessionAuthentication From(AuthenticationProperties? properties) => new(
        DatabaseTicketStore.AuthenticatedAt(properties),
        AuthenticationMethods.Parse(properties?.Items.TryGetValue(MethodsItem, out var methods) == true ? methods : null),
        properties?.Items.TryGetValue(SecondFactorAtItem, out var mfa) == true
            && long.TryParse(mfa, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null);

    /// <summary>Records the methods (and, with a second factor, the instant it was checked) in a sign-in's properties.</summary>
    public static void Record(AuthenticationProperties properties, IReadOnlyList<string> methods, DateTimeOffset? secondFactorAt)
    {
        properties.Items[MethodsItem] = string.Join(' ', methods);
        if (secondFactorAt is { } at)
        {
            properties.Items[SecondFactorAtItem] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            properties.Items.Remove(SecondFactorAtItem);
        }
    }
}
