using System.Globalization;
using System.Text.Json;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>A client a test declares in configuration, by name instead of by array index.</summary>
public sealed record TestClient(string ClientId)
{
    public string? Type { get; init; }

    public string? Secret { get; init; }

    public string? DisplayName { get; init; }

    public bool? FirstParty { get; init; }

    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> RedirectUris { get; init; } = [];
}

/// <summary>
/// Declares clients and overrides the demo ones by id. <c>appsettings.Development.json</c> lists the demo
/// clients as an array, so configuration addresses them by position; these helpers find the position.
/// </summary>
public static class ConfiguredClients
{
    private static readonly Lazy<IReadOnlyList<string>> DemoClients = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("IdentityServer").GetProperty("Clients").EnumerateArray()
            .Select(c => c.GetProperty("ClientId").GetString()!).ToList();
    });

    /// <summary>The configuration key of a demo client's setting, e.g. <c>IdentityServer:Clients:2:Secret</c> for machine.</summary>
    public static string DemoClientKey(string clientId, string setting)
    {
        var index = DemoClients.Value.ToList().IndexOf(clientId);
        Assert.True(index >= 0, $"{clientId} is not a demo client of appsettings.Development.json");
        return Key(index, setting);
    }

    public static void OverrideClient(this ServerFactory server, string clientId, string setting, string? value) =>
        server.Settings[DemoClientKey(clientId, setting)] = value;

    /// <summary>Adds a client after the demo ones; returns the key prefix it was given (errors name it).</summary>
    public static string DeclareClient(this ServerFactory server, TestClient client) => Declare(server.Settings, client);

    public static string Declare(IDictionary<string, string?> settings, TestClient client)
    {
        var index = DemoClients.Value.Count;
        while (settings.ContainsKey(Key(index, "ClientId")))
        {
            index++;
        }

        settings[Key(index, "ClientId")] = client.ClientId;
        Set(settings, index, "Type", client.Type);
        Set(settings, index, "Secret", client.Secret);
        Set(settings, index, "DisplayName", client.DisplayName);
        Set(settings, index, "FirstParty", client.FirstParty?.ToString(CultureInfo.InvariantCulture).ToLowerInvariant());
        SetList(settings, index, "GrantTypes", client.GrantTypes);
        SetList(settings, index, "Scopes", client.Scopes);
        SetList(settings, index, "RedirectUris", client.RedirectUris);
        return $"IdentityServer:Clients:{index}";
    }

    private static string Key(int index, string setting) => $"IdentityServer:Clients:{index}:{setting}";

    private static void Set(IDictionary<string, string?> settings, int index, string setting, string? value)
    {
        if (value is not null)
        {
            settings[Key(index, setting)] = value;
        }
    }

    private static void SetList(IDictionary<string, string?> settings, int index, string setting, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            settings[Key(index, $"{setting}:{i}")] = values[i];
        }
    }
}
