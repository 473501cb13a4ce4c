using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.External;

/// <summary>What a provider asserted about the person, in one shape whatever the provider.</summary>
internal sealed record ExternalIdentity(string Provider, string Subject, string? Email, bool EmailVerified, string? Name, string? Picture)
{
    public static ExternalIdentity? From(ClaimsPrincipal principal)
    {
        // Claims may come twice (identity token and userinfo); the first is as good as any.
        string? First(string type) => principal.FindFirst(type)?.Value;
        var provider = First(Claims.Private.ProviderName);
        var subject = First(Claims.Subject) ?? First(ClaimTypes.NameIdentifier);
        if (provider is null || subject is null)
        {
            return null;
        }

        var email = First(Claims.Email) ?? First(ClaimTypes.Email);
        var verified = First(Claims.EmailVerified) is "true" or "True";
        return new ExternalIdentity(provider, subject, email, verified, First(Claims.Name) ?? First(ClaimTypes.Name), First(Claims.Picture));
    }
}

internal enum ExternalOutcome
{
    SignedIn,
    Created,
    NeedsPasswordToLink,
    Failed,
}

/// <summary>
/// Finds or creates the local account behind an external sign-in. A verified email that belongs to an
/// existing account is never linked silently: the person proves that account's password first.
/// </summary>
internal sealed class ExternalAccounts(UserManager<ApplicationUser> users, TimeProvider time)
{
    public async Task<(ExternalOutcome Outcome, ApplicationUser? User)> ResolveAsync(ExternalIdentity identity)
    {
        var user = await users.FindByLoginAsync(identity.Provider, identity.Subject);
        if (user is not null)
        {
            await UpdateProfileAsync(user, identity);
            return (ExternalOutcome.SignedIn, user);
        }

        var owner = identity.Email is null ? null : await users.FindByEmailAsync(identity.Email);
        if (owner is not null && identity.EmailVerified)
        {
            return (ExternalOutcome.NeedsPasswordToLink, owner);
        }

        user = new ApplicationUser
        {
            UserName = $"{identity.Provider}-{ShortHash(identity.Subject)}",
            Name = identity.Name,
            Picture = identity.Picture,
            UpdatedAt = time.GetUtcNow(),

            // Only an address the provider verified, and nobody here uses, is kept: an email counts as verified
            // only where the provider asserts it.
            Email = owner is null && identity.EmailVerified ? identity.Email : null,
            EmailConfirmed = owner is null && identity.Email is not null && identity.EmailVerified,
        };
        if (!(await users.CreateAsync(user)).Succeeded || !(await users.AddLoginAsync(user, new UserLoginInfo(identity.Provider, identity.Subject, identity.Provider))).Succeeded)
        {
            return (ExternalOutcome.Failed, null);
        }

        return (ExternalOutcome.Created, user);
    }

    public async Task<bool> LinkAsync(ApplicationUser user, ExternalIdentity identity)
    {
        var other = await users.FindByLoginAsync(identity.Provider, identity.Subject);
        if (other is not null)
        {
            return other.Id == user.Id;
        }

        if (!(await users.AddLoginAsync(user, new UserLoginInfo(identity.Provider, identity.Subject, identity.Provider))).Succeeded)
        {
            return false;
        }

        await UpdateProfileAsync(user, identity);
        return true;
    }

    /// <summary>Name and picture follow the provider; the email only when verified and not someone else's.</summary>
    private async Task UpdateProfileAsync(ApplicationUser user, ExternalIdentity identity)
    {
        var changed = false;
        if (identity.Name is { Length: > 0 } name && name != user.Name)
        {
            user.Name = name;
            changed = true;
        }

        if (identity.Picture is { Length: > 0 } picture && picture != user.Picture)
        {
            user.Picture = picture;
            changed = true;
        }

        if (identity.EmailVerified && identity.Email is { } email && !string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase)
            && await users.FindByEmailAsync(email) is null)
        {
            user.Email = email;
            user.EmailConfirmed = true;
            changed = true;
        }

        if (changed)
        {
            user.UpdatedAt = time.GetUtcNow();
            await users.UpdateAsync(user);
        }
    }

    private static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];
}
