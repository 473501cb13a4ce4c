using IdentityServer.Oidc.Storage;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Architecture;

/// <summary>
/// The client snapshot copies every column by name. An OpenIddict upgrade that adds one would leave it
/// empty in every copy — this test fails instead.
/// </summary>
public sealed class ApplicationCopyTests
{
    [Fact]
    public void TheCopyCarriesEveryColumnOfTheClientRow()
    {
        var columns = typeof(OpenIddictEntityFrameworkCoreApplication).GetProperties()
            .Where(p => p.CanRead && p.CanWrite && !p.PropertyType.IsGenericType)
            .ToList();
        Assert.NotEmpty(columns);
        var source = new OpenIddictEntityFrameworkCoreApplication();
        foreach (var column in columns)
        {
            Assert.True(column.PropertyType == typeof(string), $"{column.Name} is a {column.PropertyType.Name}: ApplicationSnapshots.Copy knows only text columns.");
            column.SetValue(source, "value of " + column.Name);
        }

        var copy = ApplicationSnapshots.Copy(source);

        Assert.NotSame(source, copy);
        Assert.All(columns, column => Assert.Equal(column.GetValue(source), column.GetValue(copy)));
    }
}
