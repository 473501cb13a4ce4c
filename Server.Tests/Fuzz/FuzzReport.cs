using System.Globalization;
using System.Text;

namespace IdentityServer.Tests.Fuzz;

/// <summary>What one endpoint answered: a count per status, and each distinct failure with its first examples.</summary>
internal sealed class FuzzReport(FuzzTarget target)
{
    private const int ExamplesPerFinding = 2;

    public SortedDictionary<int, int> Statuses { get; } = [];

    /// <summary>Distinct failures (status and first line of the error), each with how often it happened and its first requests.</summary>
    public Dictionary<string, (int Count, List<string> Examples)> Findings { get; } = new(StringComparer.Ordinal);

    public int Requests { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public void Count(int status)
    {
        Requests++;
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
    }

    public void Add(string signature, string example)
    {
        var (count, examples) = Findings.GetValueOrDefault(signature, (0, []));
        if (examples.Count < ExamplesPerFinding)
        {
            examples.Add(example);
        }

        Findings[signature] = (count + 1, examples);
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{target}: {Requests} requests in {Elapsed.TotalSeconds:0.0} s; {string.Join(' ', Statuses.Select(s => $"{(s.Key < 0 ? "exception" : s.Key)}×{s.Value}"))}; {Findings.Values.Sum(f => f.Count)} failures");

    public string Failures()
    {
        var text = new StringBuilder();
        foreach (var (signature, (count, examples)) in Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {target} — {signature} ({count}×)\n");
            foreach (var example in examples)
            {
                text.Append(example).Append('\n');
            }
        }

        return text.ToString();
    }
}
