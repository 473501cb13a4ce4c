namespace IdentityServer.Admin.Console;

/// <summary>One page of a list, numbered from 1, with what the pager needs.</summary>
internal sealed record Paged<T>(IReadOnlyList<T> Items, int Number, int Size, int Total)
{
    public bool HasPrevious => Number > 1;

    public bool HasNext => (long)Number * Size < Total;

    public int Pages => Math.Max(1, (int)((Total + (long)Size - 1) / Size));

    /// <summary>A page number from the query, kept inside what exists (garbage and 0 are page 1).</summary>
    public static int Clamp(int? number, int total, int size) => Math.Clamp(number ?? 1, 1, Math.Max(1, (int)((total + (long)size - 1) / size)));
}
