using System.Globalization;

namespace IdentityServer.Admin;

/// <summary>
/// Which page of a list, and the text filter <c>q</c>. Read from the raw query strings, so a malformed number is
/// a 400 ValidationProblem that names the parameter rather than a binding failure without a body.
/// </summary>
internal sealed record PageRequest(int Page, int PageSize, string? Query)
{
    public const int DefaultPageSize = 20;

    public int Skip => (Page - 1) * PageSize;

    public static PageRequest First(int pageSize) => new(1, pageSize, null);

    public static bool TryParse(string? page, string? pageSize, string? q, int maxPageSize, out PageRequest request, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var number = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            errors["page"] = ["page must be a whole number of 1 or more."];
        }

        var size = Math.Min(DefaultPageSize, maxPageSize);
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > maxPageSize))
        {
            errors["pageSize"] = [$"pageSize must be a whole number from 1 to {maxPageSize}."];
        }

        if (q is { Length: > 200 })
        {
            errors["q"] = ["q must be 200 characters or fewer."];
        }

        // Far pages are refused rather than skipped to: page × pageSize stays within what the database can offset.
        if (errors.Count == 0 && (long)number * size > int.MaxValue)
        {
            errors["page"] = ["page is beyond the end of any list."];
        }

        request = new PageRequest(number, size, string.IsNullOrWhiteSpace(q) ? null : q.Trim());
        return errors.Count == 0;
    }
}
