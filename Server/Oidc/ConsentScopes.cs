using System.Collections.Immutable;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

internal sealed record ConsentScope(string Name, string Description);

/// <summary>Says in plain words what each requested scope lets the app do.</summary>
internal sealed class ConsentScopes(IOpenIddictScopeManager scopes)
{
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        [Scopes.OpenId] = "Know who you are when you sign in",
        [Scopes.Profile] = "See your name and user name",
        [Scopes.Email] = "See your email address",
        [Scopes.Roles] = "See the roles you have",
        [Scopes.OfflineAccess] = "Stay connected while you are away (refresh access without asking you again)",
    };

    public async Task<IReadOnlyList<ConsentScope>> DescribeAsync(ImmutableArray<string> requested, CancellationToken cancellationToken)
    {
        var result = new List<ConsentScope>();
        foreach (var name in requested)
        {
            if (BuiltIn.TryGetValue(name, out var text))
            {
                result.Add(new ConsentScope(name, text));
                continue;
            }

            var scope = await scopes.FindByNameAsync(name, cancellationToken);
            var description = scope is null ? null
                : await scopes.GetLocalizedDescriptionAsync(scope, cancellationToken) ?? await scopes.GetLocalizedDisplayNameAsync(scope, cancellationToken);
            result.Add(new ConsentScope(name, description ?? $"Access '{name}'"));
        }

        return result;
    }
}
