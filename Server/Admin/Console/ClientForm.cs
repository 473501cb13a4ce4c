using System.ComponentModel.DataAnnotations;
using IdentityServer.Admin.Clients;

namespace IdentityServer.Admin.Console;

/// <summary>
/// The client form as a browser posts it: lists are typed one address per line or scopes separated by spaces.
/// The shared <see cref="ClientRules"/> judge the result; these limits only keep absurd input away from them.
/// </summary>
internal sealed class ClientForm
{
    public static readonly string[] Types = ["confidential", "public"];

    [StringLength(100)]
    [Display(Name = "Client id")]
    public string? ClientId { get; set; }

    [StringLength(200)]
    [Display(Name = "Display name")]
    public string? DisplayName { get; set; }

    [Display(Name = "Type")]
    public string? Type { get; set; } = "confidential";

    public List<string> GrantTypes { get; set; } = [];

    [StringLength(4000)]
    [Display(Name = "Scopes (separated by spaces)")]
    public string? Scopes { get; set; }

    [StringLength(20000)]
    [Display(Name = "Redirect URIs (one per line)")]
    public string? RedirectUris { get; set; }

    [StringLength(20000)]
    [Display(Name = "Post-logout redirect URIs (one per line)")]
    public string? PostLogoutRedirectUris { get; set; }

    [Display(Name = "First-party (no consent page)")]
    public bool FirstParty { get; set; }

    [Display(Name = "May call the introspection endpoint")]
    public bool AllowIntrospection { get; set; }

    public ClientInput ToInput() => new()
    {
        ClientId = ClientId?.Trim(),
        DisplayName = DisplayName?.Trim(),
        Type = Type,
        GrantTypes = [.. GrantTypes.Where(g => !string.IsNullOrWhiteSpace(g)).Take(20)],
        Scopes = Split(Scopes, ' '),
        RedirectUris = Split(RedirectUris, '\n'),
        PostLogoutRedirectUris = Split(PostLogoutRedirectUris, '\n'),
        FirstParty = FirstParty,
        AllowIntrospection = AllowIntrospection,
    };

    public static ClientForm From(ClientView client) => new()
    {
        ClientId = client.ClientId,
        DisplayName = client.DisplayName,
        Type = client.Type,
        GrantTypes = [.. client.GrantTypes],
        Scopes = string.Join(' ', client.Scopes),
        RedirectUris = string.Join('\n', client.RedirectUris),
        PostLogoutRedirectUris = string.Join('\n', client.PostLogoutRedirectUris),
        FirstParty = client.FirstParty,
        AllowIntrospection = client.AllowIntrospection,
    };

    private static List<string> Split(string? text, char separator) =>
        [.. (text ?? "").Split(separator == ' ' ? [' ', '\n', '\r', '\t'] : ['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
