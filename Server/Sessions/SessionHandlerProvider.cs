using Microsoft.AspNetCore.Authentication;

namespace IdentityServer.Sessions;

/// <summary>
/// ASP.NET Core's handler provider, plus one thing: a scheme's handler can be replaced by a fresh one for
/// the rest of the request. The cookie handler remembers the session it read at the start of the request
/// and would renew that row on sign-in; a fresh handler, after the old session is signed out, stores a new one.
/// </summary>
internal sealed class SessionHandlerProvider(IAuthenticationSchemeProvider schemes) : IAuthenticationHandlerProvider
{
    private readonly AuthenticationHandlerProvider inner = new(schemes);
    private readonly Dictionary<string, IAuthenticationHandler> replaced = new(StringComparer.Ordinal);

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme) =>
        replaced.TryGetValue(authenticationScheme, out var handler)
            ? Task.FromResult<IAuthenticationHandler?>(handler)
            : inner.GetHandlerAsync(context, authenticationScheme);

    public async Task ReplaceAsync(HttpContext context, string authenticationScheme)
    {
        var scheme = await schemes.GetSchemeAsync(authenticationScheme)
            ?? throw new InvalidOperationException($"No authentication scheme named {authenticationScheme}.");
        var handler = (context.RequestServices.GetService(scheme.HandlerType) ?? ActivatorUtilities.CreateInstance(context.RequestServices, scheme.HandlerType))
            as IAuthenticationHandler ?? throw new InvalidOperationException($"{scheme.HandlerType} is not an authentication handler.");
        await handler.InitializeAsync(scheme, context);
        replaced[authenticationScheme] = handler;
    }
}
