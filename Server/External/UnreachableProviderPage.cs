using Microsoft.AspNetCore;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Client.OpenIddictClientEvents;

namespace IdentityServer.External;

/// <summary>
/// A sign-in that cannot start because the provider cannot be reached (its discovery document does not
/// load) ends in OpenIddict's own plain-text <c>400 server_error</c>; the person gets the friendly error
/// page instead. Only for the page that starts sign-ins: errors at the callback are the callback's to show.
/// </summary>
internal sealed class UnreachableProviderPage : IOpenIddictClientHandler<ProcessErrorContext>
{
    public const string StartPage = "/Account/External";

    public static OpenIddictClientHandlerDescriptor Descriptor { get; } =
        OpenIddictClientHandlerDescriptor.CreateBuilder<ProcessErrorContext>()
            .UseSingletonHandler<UnreachableProviderPage>()
            .SetOrder(OpenIddictClientAspNetCoreHandlers.AttachHttpResponseCode<ProcessErrorContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictClientHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessErrorContext context)
    {
        if (context.Transaction.GetHttpRequest() is not { } request || !request.Path.Equals(StartPage, StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }

        // The page checked the name against the configured providers before challenging.
        var provider = request.HasFormContentType ? request.Form["provider"].ToString() : "";
        request.HttpContext.Response.Redirect("/Account/ExternalError" + QueryString.Create([
            KeyValuePair.Create("provider", (string?)provider), KeyValuePair.Create("reason", (string?)"unreachable")]));
        context.HandleRequest();
        return default;
    }
}
