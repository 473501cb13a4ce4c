using System.Text;
using Microsoft.Extensions.Options;

namespace IdentityServer.Configuration;

/// <summary>
/// Runs a feature's validator (source-generated from its DataAnnotations, plus the type's own
/// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> rules) and rewrites each failure so it
/// starts with the full configuration key: <c>IdentityServer:Tokens:AccessTokenLifetime: must be …</c>.
/// The generated validator reports <c>Member: message</c>; a rule that reports a path (<c>Clients[0].Scopes[1]</c>)
/// becomes <c>Clients:0:Scopes:1</c>.
/// </summary>
internal sealed class SectionValidator<TOptions>(string section, IValidateOptions<TOptions> validator) : IValidateOptions<TOptions>
    where TOptions : class
{
    public string Section => section;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        // The section as the name makes the generated messages' display name the key (their {0}).
        var result = validator.Validate(section, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(Keyed)) : result;
    }

    private string Keyed(string failure)
    {
        var split = failure.IndexOf(": ", StringComparison.Ordinal);
        return split <= 0 ? $"{section}: {failure}" : $"{section}:{KeyOf(failure[..split])}: {WithoutFieldName(failure[(split + 2)..])}";
    }

    /// <summary>
    /// The generated range check ignores a custom message and says "The field X must be …"; the key already
    /// leads the line, so the sentence keeps only "must be …".
    /// </summary>
    private static string WithoutFieldName(string message)
    {
        var must = message.IndexOf(" must ", StringComparison.Ordinal);
        return message.StartsWith("The field ", StringComparison.Ordinal) && must > 0 ? message[(must + 1)..] : message;
    }

    /// <summary><c>Clients[0].Scopes[1]</c> → <c>Clients:0:Scopes:1</c>.</summary>
    internal static string KeyOf(string path)
    {
        var key = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            switch (c)
            {
                case '.' or '[':
                    key.Append(':');
                    break;
                case ']':
                    break;
                default:
                    key.Append(c);
                    break;
            }
        }

        return key.ToString();
    }
}
