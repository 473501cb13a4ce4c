using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>An HTTP client that keeps cookies, does not follow redirects, and reads forms the way a browser would.</summary>
public sealed class Browser(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        Http.PostAsync(url, new FormUrlEncodedContent(fields));

    public static async Task<IHtmlDocument> HtmlAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>Fills the first form on the page and submits it, optionally pressing a named submit button.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(HttpResponseMessage page, IDictionary<string, string>? values = null, (string Name, string Value)? button = null)
    {
        var document = await HtmlAsync(page);
        var form = (document.Forms.Length > 0 ? document.Forms[0] : null) ?? throw new InvalidOperationException("The page has no form: " + document.Body?.TextContent);
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => i.Type is "hidden" or "text" or "password" or "email" && !string.IsNullOrEmpty(i.Name))
            .Select(i => KeyValuePair.Create(i.Name!, values is not null && values.TryGetValue(i.Name!, out var v) ? v : i.Value))
            .ToList();
        if (button is { } b)
        {
            fields.Add(KeyValuePair.Create(b.Name, b.Value));
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.RequestMessage!.RequestUri!.PathAndQuery : form.GetAttribute("action")!;
        return await PostFormAsync(action, fields);
    }

    public void Dispose() => Http.Dispose();
}
