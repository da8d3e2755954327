using InMail.Domain.Time;

namespace InMail.Domain.Tests.Rules;

/// <summary>The list behind the activity logs and notifications: appended at the end, trimmed at the front.</summary>
public sealed class FrontTrimmedListTests
{
    [Fact]
    public void It_holds_what_a_list_trimmed_at_the_front_holds_after_every_step()
    {
        var list = new FrontTrimmedList<string>();
        var model = new List<string>();
        var random = new Random(13);
        for (var step = 0; step < 5_000; step++)
        {
            if (random.Next(3) == 0 && model.Count > 0)
            {
                var n = random.Next(model.Count + 1);
                list.RemoveFirst(n);
                model.RemoveRange(0, n);
            }
            else
            {
                var item = $"i{step}";
                list.Add(item);
                model.Add(item);
            }
            Assert.Equal(model.Count, list.Count);
            if (model.Count > 0)
            {
                Assert.Equal(model[0], list[0]);
                Assert.Equal(model[^1], list[^1]);
            }
        }
        Assert.Equal(model, list);
    }

    [Fact]
    public void Trimming_more_than_it_holds_or_reading_past_the_end_is_refused()
    {
        var list = new FrontTrimmedList<int>();
        list.Add(1);
        list.Add(2);
        list.RemoveFirst(1);

        Assert.Equal([2], list);
        Assert.Throws<ArgumentOutOfRangeException>(() => list.RemoveFirst(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }
}
