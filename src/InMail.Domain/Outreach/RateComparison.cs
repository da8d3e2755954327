namespace InMail.Domain.Outreach;

/// <summary>What a comparison of two reply rates lets one say (decision 013).</summary>
public enum ComparisonVerdict
{
    /// <summary>An arm has fewer sends than the minimum: nothing is said, whatever the numbers look like.</summary>
    NotEnoughData,

    /// <summary>Both arms are big enough, but the difference could be noise (p ≥ 0.05 or the interval holds 0).</summary>
    NoRealDifference,

    /// <summary>A's reply rate is higher, p &lt; 0.05 and the 95% interval of A − B lies above 0.</summary>
    ADoesBetter,

    /// <summary>B's reply rate is higher, p &lt; 0.05 and the 95% interval of A − B lies below 0.</summary>
    BDoesBetter,
}

/// <summary>Wire names and sentences of the verdicts.</summary>
public static class ComparisonNames
{
    /// <summary>The verdict's wire name, e.g. <c>not-enough-data</c>, <c>a-does-better</c>.</summary>
    public static string ToName(this ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.NotEnoughData => "not-enough-data",
        ComparisonVerdict.NoRealDifference => "no-real-difference",
        ComparisonVerdict.ADoesBetter => "a-does-better",
        ComparisonVerdict.BDoesBetter => "b-does-better",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };

    /// <summary>The verdict as the pages say it, with the arms' names.</summary>
    public static string Sentence(this ComparisonVerdict verdict, string a = "A", string b = "B") => verdict switch
    {
        ComparisonVerdict.NotEnoughData => "not enough data yet",
        ComparisonVerdict.NoRealDifference => "no real difference yet",
        ComparisonVerdict.ADoesBetter => $"{a} does better",
        ComparisonVerdict.BDoesBetter => $"{b} does better",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };
}

/// <summary>
/// Two reply rates compared (decision 013): A replied of A sent against B replied of B sent, with
/// Fisher's exact test, two-sided, and Newcombe's hybrid score interval (his method 10, from two
/// Wilson intervals) for the difference A − B at 95%. The verdict names a better arm only when both
/// arms have at least <see cref="MinimumPerArm"/> sends, p &lt; 0.05 and the interval excludes 0.
/// </summary>
/// <param name="SentA">Sends in arm A (the trials).</param>
/// <param name="RepliedA">Of those, how many were replied to (0 ≤ replied ≤ sent).</param>
/// <param name="SentB">Sends in arm B.</param>
/// <param name="RepliedB">Of those, replied.</param>
/// <param name="MinimumPerArm">Sends each arm needs before a verdict other than "not enough data yet".</param>
/// <param name="PValue">Fisher's exact two-sided p; null when an arm has no sends.</param>
/// <param name="Difference">Rate A − rate B; null when an arm has no sends.</param>
/// <param name="Low">Lower end of the 95% interval of the difference; null when an arm has no sends.</param>
/// <param name="High">Upper end; null when an arm has no sends.</param>
/// <param name="Verdict">What may be said.</param>
public sealed record RateComparison(
    int SentA,
    int RepliedA,
    int SentB,
    int RepliedB,
    int MinimumPerArm,
    double? PValue,
    double? Difference,
    double? Low,
    double? High,
    ComparisonVerdict Verdict)
{
    /// <summary>The significance level: the test's p must be under it.</summary>
    public const double Alpha = 0.05;

    /// <summary>The interval's confidence (1 − <see cref="Alpha"/>), and its normal quantile z(0.975).</summary>
    public const double Confidence = 0.95;

    private const double Z = 1.959963984540054;

    /// <summary>Arms past this many sends are refused: the log-factorial table would grow past what one page needs.</summary>
    public const int MaxSentPerArm = 10_000_000;

    /// <summary>Arm A's reply rate, replied ÷ sent; null when it has no sends.</summary>
    public double? RateA => SentA == 0 ? null : (double)RepliedA / SentA;

    /// <summary>Arm B's reply rate, replied ÷ sent; null when it has no sends.</summary>
    public double? RateB => SentB == 0 ? null : (double)RepliedB / SentB;

    /// <summary>Compares A (<paramref name="repliedA"/> of <paramref name="sentA"/>) with B.</summary>
    public static RateComparison Of(int sentA, int repliedA, int sentB, int repliedB, int minimumPerArm)
    {
        Check(sentA, repliedA, nameof(sentA));
        Check(sentB, repliedB, nameof(sentB));
        ArgumentOutOfRangeException.ThrowIfNegative(minimumPerArm);
        if (sentA == 0 || sentB == 0)
        {
            return new RateComparison(sentA, repliedA, sentB, repliedB, minimumPerArm, null, null, null, null, ComparisonVerdict.NotEnoughData);
        }
        var p = FisherExactTwoSided(repliedA, sentA - repliedA, repliedB, sentB - repliedB);
        var (difference, low, high) = NewcombeHybridScore(repliedA, sentA, repliedB, sentB);
        var verdict = sentA < minimumPerArm || sentB < minimumPerArm ? ComparisonVerdict.NotEnoughData
            : p < Alpha && low > 0 ? ComparisonVerdict.ADoesBetter
            : p < Alpha && high < 0 ? ComparisonVerdict.BDoesBetter
            : ComparisonVerdict.NoRealDifference;
        return new RateComparison(sentA, repliedA, sentB, repliedB, minimumPerArm, p, difference, low, high, verdict);
    }

    private static void Check(int sent, int replied, string name)
    {
        if (sent < 0 || sent > MaxSentPerArm || replied < 0 || replied > sent)
        {
            throw new ArgumentOutOfRangeException(name, $"an arm is 0 ≤ replied ≤ sent ≤ {MaxSentPerArm}; got {replied} of {sent}");
        }
    }

    /// <summary>
    /// Fisher's exact test, two-sided, of the 2×2 table [[a, b], [c, d]]: the sum of the hypergeometric
    /// probabilities of every table with the same margins whose probability is at most the observed
    /// one's, times 1 + 10⁻⁷ (R's <c>fisher.test</c> tolerance, so tables equally likely on paper are
    /// not lost to rounding). Probabilities are computed from log-factorials, so arms of 10,000 and more
    /// neither overflow nor underflow.
    /// </summary>
    public static double FisherExactTwoSided(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "a 2×2 table holds counts, none negative");
        }
        var row1 = checked(a + b);
        var row2 = checked(c + d);
        var col1 = checked(a + c);
        var n = checked(row1 + row2);
        var logFactorial = LogFactorials(n);
        // log P(x) for x in the first cell: C(row1, x) C(row2, col1 − x) / C(n, col1).
        var logDenominator = logFactorial[n] - logFactorial[col1] - logFactorial[n - col1];
        double LogP(int x) =>
            logFactorial[row1] - logFactorial[x] - logFactorial[row1 - x]
            + logFactorial[row2] - logFactorial[col1 - x] - logFactorial[row2 - col1 + x]
            - logDenominator;
        var lo = Math.Max(0, col1 - row2);
        var hi = Math.Min(row1, col1);
        var observed = LogP(a) + Math.Log(1 + 1e-7);
        var p = 0.0;
        for (var x = lo; x <= hi; x++)
        {
            var logP = LogP(x);
            if (logP <= observed)
            {
                p += Math.Exp(logP);
            }
        }
        return Math.Min(1.0, p);
    }

    /// <summary>ln(k!) for k = 0…n, summed once: exact enough (relative error near 10⁻¹³ at n = 10⁶) and cheap.</summary>
    private static double[] LogFactorials(int n)
    {
        var table = new double[n + 1];
        for (var k = 2; k <= n; k++)
        {
            table[k] = table[k - 1] + Math.Log(k);
        }
        return table;
    }

    /// <summary>The Wilson score interval at 95% for <paramref name="x"/> successes in <paramref name="n"/> trials (n &gt; 0).</summary>
    public static (double Low, double High) Wilson(int x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(x, n);
        var p = (double)x / n;
        var z2 = Z * Z;
        var centre = (p + (z2 / (2.0 * n))) / (1 + (z2 / n));
        var half = Z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n)));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Newcombe's (1998) hybrid score interval, method 10, for p1 − p2 at 95%: from the Wilson intervals
    /// (l1, u1) and (l2, u2), low = d − √((p1 − l1)² + (u2 − p2)²), high = d + √((u1 − p1)² + (p2 − l2)²).
    /// </summary>
    public static (double Difference, double Low, double High) NewcombeHybridScore(int x1, int n1, int x2, int n2)
    {
        var (l1, u1) = Wilson(x1, n1);
        var (l2, u2) = Wilson(x2, n2);
        var p1 = (double)x1 / n1;
        var p2 = (double)x2 / n2;
        var d = p1 - p2;
        var low = d - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2)));
        var high = d + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2)));
        return (d, Math.Max(-1, low), Math.Min(1, high));
    }
}
