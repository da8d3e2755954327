using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Inspection;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>A seat is offered and accepted (issue 10): nobody is put on a team without saying yes, and a seat holder can leave.</summary>
public sealed class SeatOfferTests
{
    private static Given Acme() => new Given().Members("ada", "bo", "cy", "dee").Team("acme", ["ada"]);

    [Fact]
    public void An_offered_seat_is_not_a_seat_until_the_member_accepts_it()
    {
        var given = Acme();

        var team = Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));

        Assert.False(team.HasSeat("bo"));
        Assert.Equal(new SeatOffer("bo", given.Now), Assert.Single(team.Offers));
        Assert.Null(given.Member("bo").TeamId);
        Assert.Equal("basic", given.View("bo").Plan);

        given.At(given.Now + Days(1));
        Ok(given.Engine.AcceptSeat(given.Now, "acme", "bo"));

        Assert.True(team.HasSeat("bo"));
        Assert.Empty(team.Offers);
        Assert.Equal("acme", given.Member("bo").TeamId);
        Assert.Equal("sales-navigator-advanced", given.View("bo").Plan);
    }

    [Fact]
    public void A_team_created_with_offers_gives_seats_only_to_those_it_names_as_seats()
    {
        var given = new Given().Members("ada", "bo", "cy");

        var team = Ok(given.Engine.CreateTeam(given.Now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["ada"], null, "ada", ["bo", "cy"]));

        Assert.Equal(["ada"], team.Seats);
        Assert.Equal(["bo", "cy"], team.Offers.Select(o => o.Member));
        Assert.Equal(50, team.Pool.Balance); // the first grant counts the seats held, not the offers
        Assert.Null(given.Member("bo").TeamId);
    }

    [Fact]
    public void A_team_is_not_created_when_an_offer_cannot_be_made()
    {
        var given = new Given().Members("ada", "bo", "cy").Subscribe("cy");

        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.CreateTeam(given.Now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["ada"], null, "ada", ["ghost"]));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.CreateTeam(given.Now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["ada"], null, "ada", ["bo", "cy"]));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateTeam(given.Now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["ada"], null, "ada", ["bo", "bo"]));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateTeam(given.Now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["ada"], null, "ada", ["ada"]));

        Assert.Null(given.Engine.State.FindTeam("acme"));
    }

    [Fact]
    public void A_declined_offer_is_gone_and_cannot_be_accepted_afterwards()
    {
        var given = Acme();
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));

        Ok(given.Engine.DeclineSeat(given.Now, "acme", "bo"));

        Assert.Empty(given.TeamOf("acme").Offers);
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.AcceptSeat(given.Now, "acme", "bo"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.DeclineSeat(given.Now, "acme", "bo"));
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo")); // the admin may ask again
    }

    [Fact]
    public void Without_an_offer_a_team_is_not_found_in_the_same_words_whether_it_exists_or_not()
    {
        var given = Acme();

        var existing = given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.AcceptSeat(given.Now, "acme", "bo"));
        var missing = given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.AcceptSeat(given.Now, "nope", "bo"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.DeclineSeat(given.Now, "acme", "bo"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.LeaveTeam(given.Now, "acme", "bo"));

        Assert.Equal(missing.Message.Replace("nope", "acme", StringComparison.Ordinal), existing.Message);
    }

    [Fact]
    public void A_seat_cannot_be_offered_twice_nor_to_a_seat_holder_nor_to_someone_on_another_plan()
    {
        var given = Acme().Subscribe("cy");
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.OfferSeat(given.Now, "acme", "bo"));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.OfferSeat(given.Now, "acme", "ada"));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.OfferSeat(given.Now, "acme", "cy"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.OfferSeat(given.Now, "acme", "ghost"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.OfferSeat(given.Now, "nope", "dee"));
    }

    [Fact]
    public void An_offer_cannot_be_accepted_by_a_member_who_took_a_plan_of_their_own_meanwhile_and_it_stays_to_decline()
    {
        var given = Acme();
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));
        given.Subscribe("bo");

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.AcceptSeat(given.Now, "acme", "bo"));

        Assert.NotNull(given.TeamOf("acme").OfferTo("bo"));
        Ok(given.Engine.DeclineSeat(given.Now, "acme", "bo"));
    }

    [Fact]
    public void A_seat_holder_can_leave_and_is_then_free_to_take_a_plan_of_their_own()
    {
        var given = Acme();
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));
        Ok(given.Engine.AcceptSeat(given.Now, "acme", "bo"));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.Subscribe(given.Now, "bo", "premium-business", BillingPeriod.Monthly));

        Ok(given.Engine.LeaveTeam(given.Now, "acme", "bo"));

        Assert.False(given.TeamOf("acme").HasSeat("bo"));
        Assert.Null(given.Member("bo").TeamId);
        Ok(given.Engine.Subscribe(given.Now, "bo", "premium-business", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.LeaveTeam(given.Now, "acme", "bo"));
    }

    [Fact]
    public void When_the_admin_leaves_the_next_seat_holder_becomes_admin()
    {
        var given = Acme();
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));
        Ok(given.Engine.AcceptSeat(given.Now, "acme", "bo"));

        Ok(given.Engine.LeaveTeam(given.Now, "acme", "ada"));

        Assert.Equal("bo", given.TeamOf("acme").Admin);
    }

    [Fact]
    public void A_team_that_ends_takes_its_offers_with_it()
    {
        var given = Acme();
        Ok(given.Engine.OfferSeat(given.Now, "acme", "bo"));
        var end = Ok(given.Engine.CancelTeam(given.Now, "acme"));
        given.At(end + Second);

        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.AcceptSeat(given.Now, "acme", "bo"));

        Assert.Empty(given.TeamOf("acme").Offers);
        Assert.Null(given.Member("bo").TeamId);
    }

    [Fact]
    public void Offers_are_commands_that_round_trip_and_show_in_the_state()
    {
        var given = Acme();
        foreach (var json in new[]
        {
            """{"do":"team-offer","team":"acme","member":"bo"}""",
            """{"do":"team-offer","team":"acme","member":"cy"}""",
            """{"do":"team-accept","team":"acme","member":"bo"}""",
            """{"do":"team-decline","team":"acme","member":"cy"}""",
            """{"do":"team-offer","team":"acme","member":"dee"}""",
            """{"do":"team-leave","team":"acme","member":"bo"}""",
        })
        {
            var command = CommandJson.Read(json);
            Assert.Equal(json, CommandJson.Write(command));
            Assert.True(command.Apply(given.Engine, given.Now).IsSuccess, json);
        }

        using var state = System.Text.Json.JsonDocument.Parse(StateJson.Write(given.Engine, given.Now));
        var offers = state.RootElement.GetProperty("teams")[0].GetProperty("offers");
        Assert.Equal(["dee"], offers.EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(["ada"], given.TeamOf("acme").Seats);
    }
}
