using System.Numerics;
using InMail.Domain.Outreach;

namespace InMail.Domain.Tests.Outreach;

/// <summary>
/// Decision 013: Fisher's exact test (two-sided) and Newcombe's hybrid score interval against
/// published values, and the test against an independent exact implementation on a grid of tables.
/// </summary>
public sealed class RateComparisonTests
{
    [Theory]
    // Fisher's lady tasting tea, R's fisher.test(TeaTasting): p = 0.4857 (34/70).
    [InlineData(3, 1, 1, 3, 0.4857142857)]
    // R's fisher.test(Convictions), matrix(c(2, 10, 15, 3), nrow = 2): p = 0.0005367.
    [InlineData(2, 15, 10, 3, 0.0005367241)]
    [InlineData(10, 2, 3, 15, 0.0005367241)]
    // A table equal to its own mirror: every table at most as likely counts, p = 1.
    [InlineData(5, 5, 5, 5, 1.0)]
    // Nobody replied anywhere: one table is possible, p = 1.
    [InlineData(0, 10, 0, 10, 1.0)]
    public void Fisher_exact_two_sided_matches_the_textbook_values(int a, int b, int c, int d, double p) =>
        Assert.Equal(p, RateComparison.FisherExactTwoSided(a, b, c, d), 9);

    [Theory]
    // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score, no continuity correction).
    [InlineData(56, 70, 48, 80, 0.2000, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.6000, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.5714, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, 0.0893, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, 0.0000, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, 0.0000, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 1.0000, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 1.0000, 0.6075, 1.0000)]
    public void Newcombe_hybrid_score_interval_matches_his_table_II(int x1, int n1, int x2, int n2, double d, double low, double high)
    {
        var (difference, l, h) = RateComparison.NewcombeHybridScore(x1, n1, x2, n2);
        Assert.Equal(d, difference, 4);
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Fact]
    public void Wilson_interval_matches_a_known_value()
    {
        // Newcombe 1998's single-proportion companion paper: 0/10 → 0 to 0.2775; 81/263 → 0.2553 to 0.3662.
        Assert.Equal((0.0, 0.2775), Round(RateComparison.Wilson(0, 10)));
        Assert.Equal((0.2553, 0.3662), Round(RateComparison.Wilson(81, 263)));
    }

    private static (double, double) Round((double Low, double High) i) => (Math.Round(i.Low, 4), Math.Round(i.High, 4));

    [Fact]
    public void Fisher_agrees_with_an_independent_exact_enumeration_on_a_grid_of_random_tables()
    {
        var rng = new Random(13);
        for (var i = 0; i < 400; i++)
        {
            var nA = rng.Next(1, 61);
            var nB = rng.Next(1, 61);
            var a = rng.Next(0, nA + 1);
            var c = rng.Next(0, nB + 1);
            var expected = ExactFisher(a, nA - a, c, nB - c);
            var actual = RateComparison.FisherExactTwoSided(a, nA - a, c, nB - c);
            Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, expected), $"({a},{nA - a};{c},{nB - c}): exact {expected}, ours {actual}");
        }
    }

    [Fact]
    public void Fisher_works_with_ten_thousand_sends_an_arm()
    {
        // 2,000 of 10,000 against 2,100 of 10,000: checked against the exact enumeration with big integers.
        var expected = ExactFisher(2000, 8000, 2100, 7900);
        var actual = RateComparison.FisherExactTwoSided(2000, 8000, 2100, 7900);
        Assert.Equal(expected, actual, 8);
        Assert.InRange(actual, 0.05, 0.1); // near the normal approximation's 0.081
    }

    /// <summary>
    /// The test written again from its definition, with nothing shared: exact binomials in big integers,
    /// every table with the observed margins, the ones no more likely than the observed (within R's
    /// relative 10⁻⁷) summed, and the sum divided by C(n, column 1) exactly.
    /// </summary>
    private static double ExactFisher(int a, int b, int c, int d)
    {
        static BigInteger Choose(int n, int k)
        {
            BigInteger r = BigInteger.One;
            for (var i = 1; i <= k; i++)
            {
                r = r * (n - k + i) / i;
            }
            return r;
        }
        int r1 = a + b, r2 = c + d, c1 = a + c, n = r1 + r2;
        var observed = Choose(r1, a) * Choose(r2, c);
        var sum = BigInteger.Zero;
        var lo = Math.Max(0, c1 - r2);
        // C(r1, x) and C(r2, c1 − x) step by exact ratios from x = lo, so the grid stays quick.
        var left = Choose(r1, lo);
        var right = Choose(r2, c1 - lo);
        for (var x = lo; x <= Math.Min(r1, c1); x++)
        {
            var weight = left * right;
            if (weight * 10_000_000 <= observed * 10_000_001)
            {
                sum += weight;
            }
            left = left * (r1 - x) / (x + 1);
            right = c1 - x > 0 ? right * (c1 - x) / (r2 - c1 + x + 1) : BigInteger.Zero;
        }
        var total = Choose(n, c1);
        // sum / total to 17 significant digits without passing through doubles that overflow.
        var scale = BigInteger.Pow(10, 18);
        return (double)(sum * scale / total) / 1e18;
    }

    [Fact]
    public void Below_the_minimum_in_either_arm_nothing_is_declared_however_large_the_gap()
    {
        var c = RateComparison.Of(199, 150, 400, 10, 200);
        Assert.Equal(ComparisonVerdict.NotEnoughData, c.Verdict);
        Assert.NotNull(c.PValue); // the numbers are shown, the verdict withheld
        Assert.True(c.PValue < 1e-10);
    }

    [Fact]
    public void An_empty_arm_has_no_test_and_not_enough_data()
    {
        var c = RateComparison.Of(0, 0, 250, 50, 200);
        Assert.Equal(ComparisonVerdict.NotEnoughData, c.Verdict);
        Assert.Null(c.PValue);
        Assert.Null(c.Difference);
        Assert.Null(c.RateA);
        Assert.Equal(0.2, c.RateB);
    }

    [Fact]
    public void One_send_an_arm_is_tested_but_not_judged()
    {
        var c = RateComparison.Of(1, 1, 1, 0, 200);
        Assert.Equal(1.0, c.PValue!.Value, 12); // two tables, each 1/2: p = 1
        Assert.Equal(1.0, c.Difference);
        Assert.Equal(ComparisonVerdict.NotEnoughData, c.Verdict);
    }

    [Fact]
    public void A_tie_is_no_real_difference()
    {
        var c = RateComparison.Of(200, 40, 200, 40, 200);
        Assert.Equal(1.0, c.PValue!.Value, 12);
        Assert.Equal(0.0, c.Difference);
        Assert.True(c.Low < 0 && c.High > 0);
        Assert.Equal(ComparisonVerdict.NoRealDifference, c.Verdict);
    }

    [Fact]
    public void A_clear_gap_past_the_minimum_names_the_better_arm_either_way()
    {
        // 25% against 15% over 300 sends each: p ≈ 0.003, the interval well above 0.
        var a = RateComparison.Of(300, 75, 300, 45, 200);
        Assert.Equal(ComparisonVerdict.ADoesBetter, a.Verdict);
        Assert.True(a.PValue < 0.01 && a.Low > 0);
        var b = RateComparison.Of(300, 45, 300, 75, 200);
        Assert.Equal(ComparisonVerdict.BDoesBetter, b.Verdict);
        Assert.Equal(a.PValue!.Value, b.PValue!.Value, 12);
        Assert.Equal(-a.Low!.Value, b.High!.Value, 12);
    }

    [Fact]
    public void A_gap_that_could_be_noise_is_no_real_difference()
    {
        // 20% against 17% over 200 each: p ≈ 0.5.
        var c = RateComparison.Of(200, 40, 200, 34, 200);
        Assert.Equal(ComparisonVerdict.NoRealDifference, c.Verdict);
        Assert.True(c.PValue > 0.05 && c.Low < 0);
    }

    [Fact]
    public void Impossible_counts_are_a_broken_invariant()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RateComparison.Of(10, 11, 10, 1, 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => RateComparison.Of(-1, 0, 10, 1, 200));
    }
}
