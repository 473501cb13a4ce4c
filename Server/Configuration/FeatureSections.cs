using System.Reflection;
using Microsoft.Extensions.Options;

namespace IdentityServer.Configuration;

/// <summary>
/// Binds and checks feature sections one by one, collecting every failure before start-up stops. Binding is
/// strict: a value that does not convert (an unknown enum name, "seven days" for a duration) or a key no
/// option has (a typo) is a failure that names its key — ASP.NET Core's binder would otherwise drop a list
/// item it cannot convert without a word, and a client would silently vanish from configuration.
/// </summary>
internal sealed class FeatureSections(WebApplicationBuilder builder)
{
    public const string Root = "IdentityServer";

    private readonly List<string> failures = [];

    /// <summary>For each bound section, the child keys some option stands for (a property, or a nested section).</summary>
    private readonly Dictionary<string, HashSet<string>> claims = new(StringComparer.OrdinalIgnoreCase);

    public TOptions Add<TOptions>(string section, IValidateOptions<TOptions> generated)
        where TOptions : class, new()
    {
        var validator = new SectionValidator<TOptions>(section, generated);
        var configuration = builder.Configuration.GetSection(section);
        var options = new TOptions();
        var misnamed = EnumNames.Check(typeof(TOptions), configuration).ToList();
        failures.AddRange(misnamed);
        if (misnamed.Count == 0)
        {
            try
            {
                Claim<TOptions>(section, configuration).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
                Fail(validator.Validate(Options.DefaultName, options).Failures ?? []);
            }
            catch (InvalidOperationException e)
            {
                failures.Add(Describe(e));
            }
        }

        builder.Services.AddOptions<TOptions>().Bind(configuration);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(validator);
        return options;
    }

    public void Fail(IEnumerable<string> messages) => failures.AddRange(messages);

    public void ThrowIfAnyFailed()
    {
        foreach (var (section, names) in claims)
        {
            failures.AddRange(builder.Configuration.GetSection(section).GetChildren().Where(child => !names.Contains(child.Key))
                .Select(child => $"{child.Path}: no setting has this name; check its spelling (README.md lists the settings)."));
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Root, typeof(ServerSettings), failures);
        }
    }

    /// <summary>
    /// The keys of a section that this type's properties name. Sections share keys — the top holds Issuer,
    /// KnownProxies and Clients side by side, Accounts holds Email — so each type sees only its own, and a
    /// key nobody claims is reported once every section is bound.
    /// </summary>
    private IConfiguration Claim<TOptions>(string section, IConfigurationSection configuration)
    {
        var names = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        ClaimsOf(section).UnionWith(names);
        if (section.LastIndexOf(':') is var split and > 0)
        {
            ClaimsOf(section[..split]).Add(section[(split + 1)..]);
        }

        var own = configuration.AsEnumerable().Where(kv => kv.Key.Length > section.Length && names.Contains(kv.Key[(section.Length + 1)..].Split(':')[0]));
        return new ConfigurationBuilder().AddInMemoryCollection(own).Build().GetSection(section);
    }

    private HashSet<string> ClaimsOf(string section)
    {
        if (!claims.TryGetValue(section, out var names))
        {
            claims[section] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        return names;
    }

    /// <summary>The binder's exception and its inner ones: together they say where (the key) and what (the value and type).</summary>
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            messages.Add(inner.Message);
        }

        return string.Join(" ", messages);
    }
}
