using System.Reflection;

namespace IdentityServer.Configuration;

/// <summary>
/// A setting of an enum type must be one of its names. The binder would also take a number ("1" for ES256)
/// or a combination ("RS256,ES256"), so a typo or a stale value would start the server with a choice
/// nobody wrote down.
/// </summary>
internal static class EnumNames
{
    public static IEnumerable<string> Check(Type type, IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                continue;
            }

            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target.IsEnum)
            {
                if (child.Value is { } value && !Enum.GetNames(target).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    yield return $"{child.Path}: '{value}' is not one of {string.Join(", ", Enum.GetNames(target))}.";
                }
            }
            else if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>) && target.GetGenericArguments()[0] is { IsClass: true } item && item != typeof(string))
            {
                foreach (var failure in child.GetChildren().SelectMany(element => Check(item, element)))
                {
                    yield return failure;
                }
            }
            else if (target.IsClass && target != typeof(string) && target != typeof(Uri) && !target.IsGenericType)
            {
                foreach (var failure in Check(target, child))
                {
                    yield return failure;
                }
            }
        }
    }
}
