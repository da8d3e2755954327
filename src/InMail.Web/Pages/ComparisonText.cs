using System.Globalization;
using InMail.Domain.Outreach;
using InMail.Web.Api;

namespace InMail.Web.Pages;

/// <summary>How the pages say a comparison of two reply rates (decision 013): p, the difference in points with its 95% interval, the verdict.</summary>
public static class ComparisonText
{
    /// <summary>The test and the interval, named once for every page that shows one.</summary>
    public const string Method = "Fisher’s exact test (two-sided) on the two reply rates, and a 95% confidence interval for their difference (Newcombe’s hybrid score interval, from Wilson intervals)";

    /// <summary>"p = 0.031, difference +5.2 points (95% CI +0.4 to +10.1)", or a dash when an arm has no sends.</summary>
    public static string Figures(ComparisonView c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.PValue is not { } p || c.Difference is not { } d || c.Low is not { } low || c.High is not { } high)
        {
            return "no sends on one side yet";
        }
        var pText = p < 0.001 ? "p < 0.001" : "p = " + p.ToString("0.###", CultureInfo.InvariantCulture);
        return $"{pText}, difference {Points(d)} (95% CI {Signed(low)} to {Signed(high)})";
    }

    /// <summary>The verdict in words, with the arms' names.</summary>
    public static string Verdict(ComparisonView c, string a, string b)
    {
        ArgumentNullException.ThrowIfNull(c);
        var verdict = Enum.GetValues<ComparisonVerdict>().Single(v => v.ToName() == c.Verdict);
        return verdict == ComparisonVerdict.NotEnoughData
            ? $"{verdict.Sentence(a, b)} (it needs {c.MinimumPerArm} sends on each side: {c.SentA} and {c.SentB} so far)"
            : verdict.Sentence(a, b);
    }

    /// <summary>A difference of rates in percentage points, signed: "+5.2 points", "−0.4 points".</summary>
    public static string Points(double difference) => Signed(difference) + " points";

    /// <summary>A difference of rates in percentage points, signed, one decimal: "+5.2", "−0.4", "0.0".</summary>
    public static string Signed(double difference)
    {
        var points = Math.Round(difference * 100, 1);
        var magnitude = Math.Abs(points).ToString("0.0", CultureInfo.InvariantCulture);
        return points > 0 ? $"+{magnitude}" : points < 0 ? $"−{magnitude}" : "0.0";
    }
}
