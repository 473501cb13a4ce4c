using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IdentityServer.Admin.Api;

/// <summary>Declares the bearer scheme (an access token from this server's token endpoint) and requires it of every operation.</summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer
{
    private const string Name = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "IdentityServer admin API";
        document.Info.Description = "Access tokens from this server's /connect/token with audience admin-api: scope admin.read for reads, admin.write for writes.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token for the admin-api audience (client_credentials, or code + PKCE for a person with the admin role).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, document)] = [] });
        return Task.CompletedTask;
    }
}
