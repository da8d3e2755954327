namespace InMail.Domain.Tests.Rules;

public sealed class SmokeTests
{
    [Fact]
    public void A_paid_member_spends_one_credit_on_an_InMail_to_a_stranger()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        Assert.Equal(15, given.Credits("alice"));
        var sent = given.InMail("alice", "bob");
        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.Equal(14, given.Credits("alice"));
    }
}
