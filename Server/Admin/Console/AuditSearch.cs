using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace IdentityServer.Admin.Console;

/// <summary>The audit log page's filters as the query string carries them; times are UTC (the page says so).</summary>
internal sealed class AuditSearch
{
    [StringLength(256)]
    [Display(Name = "User (name or id)")]
    public string? User { get; set; }

    [StringLength(100)]
    [Display(Name = "Client id")]
    public string? Client { get; set; }

    [StringLength(64)]
    [Display(Name = "Type (or area, like signin)")]
    public string? Type { get; set; }

    [Display(Name = "From (UTC)")]
    public DateTime? From { get; set; }

    [Display(Name = "To (UTC)")]
    public DateTime? To { get; set; }

    [StringLength(256)]
    [Display(Name = "Text")]
    public string? Text { get; set; }

    /// <summary>"p", not "page": Razor Pages keeps the route value <c>page</c> for the page's own name.</summary>
    [FromQuery(Name = "p")]
    [Range(1, int.MaxValue)]
    public int? PageNumber { get; set; }

    /// <summary>The query string of these filters on another page of results.</summary>
    public Dictionary<string, string> RouteValues(int page)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["User"] = User, ["Client"] = Client, ["Type"] = Type, ["Text"] = Text,
            ["From"] = From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["To"] = To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["p"] = page.ToString(CultureInfo.InvariantCulture),
        };
        return values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
    }
}
