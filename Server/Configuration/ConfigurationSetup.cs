using Microsoft.Extensions.Options;

namespace IdentityServer.Configuration;

internal static class ConfigurationSetup
{
    /// <summary>
    /// Binds and validates the IdentityServer section now, before anything (keys, database) is built from it,
    /// so a bad value stops start-up with a message that names its key.
    /// </summary>
    public static ServerOptions AddServerOptions(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ServerOptions.Section);
        var options = section.Get<ServerOptions>() ?? new ServerOptions();
        var validator = new ServerOptionsValidator(builder.Environment);
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(ServerOptions.Section, typeof(ServerOptions), result.Failures);
        }

        builder.Services.AddSingleton<IValidateOptions<ServerOptions>>(validator);
        builder.Services.AddOptions<ServerOptions>().Bind(section).ValidateOnStart();
        return options;
    }
}
