using System.Globalization;
using System.Text;

namespace IdentityServer.Oidc;

/// <summary>What a client that describes itself may call itself (metadata documents and registration alike).</summary>
internal static class ClientNames
{
    /// <summary>
    /// No control, format (bidi marks, embeddings, overrides, isolates, zero-width characters) or line/paragraph
    /// separator characters: the consent page shows the name inside its own sentence, and such a character makes the
    /// name read as another text (U+202E turns the rest around) or look like another name while differing from it.
    /// </summary>
    public static bool IsFit(string name) =>
        !string.IsNullOrWhiteSpace(name) && name.EnumerateRunes().All(r => Rune.GetUnicodeCategory(r)
            is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator));
}
