using IdentityServer.Admin;

namespace IdentityServer.Cli;

/// <summary>The admin services answer page by page; a command line prints the whole list.</summary>
internal static class Pages
{
    private const int Size = 200;

    public static async Task<List<T>> AllAsync<T>(Func<PageRequest, CancellationToken, Task<Page<T>>> list, CancellationToken ct)
    {
        var all = new List<T>();
        for (var number = 1; ; number++)
        {
            var page = await list(new PageRequest(number, Size, null), ct);
            all.AddRange(page.Items);
            if (page.Items.Count < Size || all.Count >= page.Total)
            {
                return all;
            }
        }
    }
}
