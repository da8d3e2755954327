using InMail.Domain.Credits;
using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 idempotency: a retry with the same key and payload returns the first result and changes nothing.</summary>
public sealed class IdempotencyTests
{
    private sealed record BuyPayload(int Pack);

    private static Outcome<Idempotent<Sent>> Send(Given given, string key, SendRequest request) =>
        given.Engine.Idempotently(given.Now, request.From, key, request, () => given.Engine.Send(given.Now, request));

    [Fact]
    public void A_retried_send_returns_the_first_result_and_charges_nothing_more()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var request = new SendRequest("alice", "bob", "Hello", "A short note.");
        var first = Given.Ok(Send(given, "k-1", request));
        var before = given.Snapshot();

        var retry = Given.Ok(Send(given, "k-1", request with { }));

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Same(first.Value, retry.Value);
        Assert.Equal(before, given.Snapshot());
        Assert.Equal(14, given.Credits("alice"));
        Assert.Single(given.Engine.State.FindConversation("alice", "bob")!.Messages);
    }

    [Fact]
    public void A_retry_later_still_replays_the_first_result()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var request = new SendRequest("alice", "bob", "Hello", "A short note.");
        var first = Given.Ok(Send(given, "k-1", request));
        given.After(Given.Days(3));
        var before = given.Snapshot();

        var retry = Given.Ok(Send(given, "k-1", request));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Value.Message.Id, retry.Value.Message.Id);
        Assert.Equal(before, given.Snapshot());
    }

    [Fact]
    public void The_same_key_with_a_different_payload_is_refused_and_changes_nothing()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice");
        Given.Ok(Send(given, "k-1", new SendRequest("alice", "bob", "Hello", "A short note.")));

        given.Refuses(RefusalCode.IdempotencyConflict, () => Send(given, "k-1", new SendRequest("alice", "carl", "Hello", "A short note.")));
        given.Refuses(RefusalCode.IdempotencyConflict, () => Send(given, "k-1", new SendRequest("alice", "bob", "Hello", "Another note.")));
        given.Refuses(RefusalCode.IdempotencyConflict, () => given.Engine.Idempotently(given.Now, "alice", "k-1", new BuyPayload(10), () => given.Engine.Buy(given.Now, "alice", 10)));
        Assert.Equal(14, given.Credits("alice"));
    }

    [Fact]
    public void A_refusal_is_not_remembered_so_a_retry_after_the_cause_is_gone_goes_through()
    {
        var given = new Given().Members("alice", "bob");
        var request = new SendRequest("alice", "bob", "Hello", "A short note.");
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => Send(given, "k-1", request));

        given.Subscribe("alice");
        var sent = Given.Ok(Send(given, "k-1", request));

        Assert.False(sent.Replayed);
        Assert.Equal(14, given.Credits("alice"));
    }

    [Fact]
    public void Keys_belong_to_their_actor()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice").Subscribe("carl");

        var a = Given.Ok(Send(given, "k-1", new SendRequest("alice", "bob", "Hello", "Hi")));
        var c = Given.Ok(Send(given, "k-1", new SendRequest("carl", "bob", "Hello", "Hi")));

        Assert.False(c.Replayed);
        Assert.NotEqual(a.Value.Message.Id, c.Value.Message.Id);
        Assert.Equal((14, 14), (given.Credits("alice"), given.Credits("carl")));
    }

    [Fact]
    public void Without_a_key_every_request_is_carried_out()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var request = new SendRequest("alice", "bob", "Hello", "Hi");

        var first = Given.Ok(given.Engine.Idempotently(given.Now, "alice", null, request, () => given.Engine.Send(given.Now, request)));
        var second = Given.Ok(given.Engine.Idempotently(given.Now, "alice", null, request, () => given.Engine.Send(given.Now, request)));

        Assert.False(first.Replayed || second.Replayed);
        Assert.Equal(13, given.Credits("alice"));
        given.Refuses(RefusalCode.NoSubscription, () => given.Engine.Idempotently(given.Now, "bob", null, request, () => given.Engine.Cancel(given.Now, "bob")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nkey")]
    [InlineData("bad\u0000key")]
    public void A_key_is_1_to_255_printable_characters(string key)
    {
        var given = new Given().Members("alice").Subscribe("alice");

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.Idempotently(given.Now, "alice", key, new BuyPayload(10), () => given.Engine.Buy(given.Now, "alice", 10)));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.Idempotently(given.Now, "alice", new string('k', 256), new BuyPayload(10), () => given.Engine.Buy(given.Now, "alice", 10)));
        Given.Ok(given.Engine.Idempotently(given.Now, "alice", new string('k', 255), new BuyPayload(10), () => given.Engine.Buy(given.Now, "alice", 10)));
    }

    [Fact]
    public void A_retried_purchase_buys_one_pack()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        var first = Given.Ok(given.Engine.Idempotently(given.Now, "alice", "buy-1", new BuyPayload(25), () => given.Engine.Buy(given.Now, "alice", 25)));
        var retry = Given.Ok(given.Engine.Idempotently(given.Now, "alice", "buy-1", new BuyPayload(25), () => given.Engine.Buy(given.Now, "alice", 25)));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Value.Id, retry.Value.Id);
        Assert.Equal(40, given.Credits("alice"));
        Assert.Single(given.Ledger("alice"), e => e.Kind == LedgerKind.Purchase);
    }

    [Fact]
    public void A_retried_bonus_grants_once()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        var payload = new { Member = "alice", Credits = 5, Days = 30 };

        Given.Ok(given.Engine.Idempotently(given.Now, "operator", "promo-7", payload, () => given.Engine.GrantBonus(given.Now, "alice", 5, 30, "promo")));
        var retry = Given.Ok(given.Engine.Idempotently(given.Now, "operator", "promo-7", new { Member = "alice", Credits = 5, Days = 30 }, () => given.Engine.GrantBonus(given.Now, "alice", 5, 30, "promo")));

        Assert.True(retry.Replayed);
        Assert.Equal(20, given.Credits("alice"));
    }

    [Fact]
    public void A_retried_response_refunds_once_and_writes_one_response()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob", "m1");
        var payload = new { Message = "m1", Kind = "accept" };

        var first = Given.Ok(given.Engine.Idempotently(given.Now, "bob", "r-1", payload, () => given.Respond("bob", "m1", ResponseKind.Accept, null)));
        var retry = Given.Ok(given.Engine.Idempotently(given.Now, "bob", "r-1", new { Message = "m1", Kind = "accept" }, () => given.Respond("bob", "m1", ResponseKind.Accept, null)));

        Assert.Equal((1, true), (retry.Value.CreditsRefunded, retry.Replayed));
        Assert.Same(first.Value.Response, retry.Value.Response);
        Assert.Equal(2, given.Engine.State.FindConversation("alice", "bob")!.Messages.Count);
        Assert.Equal(15, given.Credits("alice"));
        Assert.NotNull(sent.Message.RefundedAt);
    }
}
