using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §6 spam: 3 reports that are at least 10% of the InMails sent in 30 days suspend the sender for 7 days.</summary>
public sealed class SpamTests
{
    /// <summary>Sends <paramref name="count"/> InMails from "spammer" to fresh strangers, four per stranger.</summary>
    private static List<Sent> SendMany(Given given, int count)
    {
        var strangers = given.Many("x" + given.Engine.State.Members.Count, (count + 3) / 4);
        return Enumerable.Range(0, count).Select(i => given.Sends("spammer", strangers[i / 4])).ToList();
    }

    private static void Report(Given given, Sent sent) => Ok(given.Engine.ReportSpam(given.Now, sent.Message.To, sent.Message.Id));

    private static Given Spammer() =>
        new Given().Members("spammer", "cara", "gus", "olga", "stan").Subscribe("spammer", "sales-navigator-core")
            .Connect("spammer", "cara").Join("devs", "spammer", "gus").Subscribe("olga").OpenProfile("olga");

    [Fact]
    public void Three_reports_suspend_InMail_open_profile_and_group_messages_for_7_days_but_not_messages_to_connections()
    {
        var given = Spammer();
        var sent = SendMany(given, 3);
        given.At(Utc(2026, 1, 8, 10, 0, 0));
        Report(given, sent[0]);
        Report(given, sent[1]);
        Assert.Null(given.Member("spammer").RestrictedUntil);

        Report(given, sent[2]);

        Assert.Equal(Utc(2026, 1, 15, 10, 0, 0), given.Member("spammer").RestrictedUntil);
        given.Refuses(RefusalCode.SenderRestricted, () => given.InMail("spammer", "stan"));
        given.Refuses(RefusalCode.SenderRestricted, () => given.InMail("spammer", "olga"));
        given.Refuses(RefusalCode.SenderRestricted, () => given.Send("spammer", "gus", null, "Hi"));
        Assert.Equal(SendPath.Message, Ok(given.Send("spammer", "cara", null, "Hi")).Quote.Path);
    }

    [Fact]
    public void The_suspension_ends_exactly_7_days_after_the_report_that_caused_it()
    {
        var given = Spammer();
        var sent = SendMany(given, 3);
        given.At(Utc(2026, 1, 8, 10, 0, 0));
        sent.ForEach(s => Report(given, s));

        given.At(Utc(2026, 1, 15, 10, 0, 0) - Second);
        given.Refuses(RefusalCode.SenderRestricted, () => given.InMail("spammer", "stan"));

        given.At(Utc(2026, 1, 15, 10, 0, 0));
        given.Sends("spammer", "stan");
        Ok(given.Send("spammer", "gus", null, "Hi again"));
    }

    [Fact]
    public void Two_reports_are_not_enough()
    {
        var given = Spammer();
        var sent = SendMany(given, 2);

        sent.ForEach(s => Report(given, s));

        given.Sends("spammer", "stan");
    }

    [Fact]
    public void Three_reports_that_are_exactly_10_percent_of_the_InMails_sent_suspend()
    {
        var given = Spammer();
        var sent = SendMany(given, 30);

        sent.Take(3).ToList().ForEach(s => Report(given, s));

        Assert.True(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Three_reports_that_are_under_10_percent_of_the_InMails_sent_do_not_suspend()
    {
        var given = Spammer();
        var sent = SendMany(given, 31);

        sent.Take(3).ToList().ForEach(s => Report(given, s));

        Assert.False(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Open_profile_InMails_count_in_the_share_and_can_be_reported()
    {
        var given = Spammer();
        var open = Ok(given.InMail("spammer", "olga"));
        var sent = SendMany(given, 2);

        Ok(given.Engine.ReportSpam(given.Now, "olga", open.Message.Id));
        sent.ForEach(s => Report(given, s));

        Assert.True(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Reports_made_30_days_ago_or_more_no_longer_count()
    {
        var given = Spammer();
        var sent = SendMany(given, 3);
        Report(given, sent[0]);
        Report(given, sent[1]);

        given.At(Start + Days(30));
        Report(given, sent[2]);

        Assert.False(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Reports_within_the_last_30_days_count()
    {
        var given = Spammer();
        var sent = SendMany(given, 3);
        Report(given, sent[0]);
        Report(given, sent[1]);

        given.At(Start + Days(30) - Second);
        Report(given, sent[2]);

        Assert.True(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Reports_count_by_when_they_are_made_and_the_share_is_of_InMails_sent_in_the_window()
    {
        // SPEC §6 does not say whether a report on an InMail sent before the window counts; the engine
        // counts reports made in the window against InMails sent in it, so three late reports on old
        // InMails (none sent in the window) suspend.
        var given = Spammer();
        var sent = SendMany(given, 3);

        given.At(Start + Days(40));
        sent.ForEach(s => Report(given, s));

        Assert.Equal(0, given.Member("spammer").InMailsSent.CountWithin(given.Now, Days(30)));
        Assert.True(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void A_report_while_suspended_extends_the_suspension_to_7_days_after_it()
    {
        var given = Spammer();
        var sent = SendMany(given, 4);
        sent.Take(3).ToList().ForEach(s => Report(given, s));

        given.At(Start + Days(2));
        Report(given, sent[3]);

        Assert.Equal(Start + Days(9), given.Member("spammer").RestrictedUntil);
    }

    [Fact]
    public void Reporting_the_same_InMail_twice_counts_once()
    {
        var given = Spammer();
        var sent = SendMany(given, 2);
        Report(given, sent[0]);
        Report(given, sent[1]);

        var again = Ok(given.Engine.ReportSpam(given.Now, sent[1].Message.To, sent[1].Message.Id));

        Assert.Equal(Start, again.ReportedSpamAt);
        Assert.Equal(2, given.Member("spammer").SpamReports.Instants.Count);
        Assert.False(given.Member("spammer").IsRestrictedAt(given.Now));
    }

    [Fact]
    public void Only_the_recipient_can_report_an_InMail_that_exists()
    {
        var given = Spammer();
        var sent = SendMany(given, 1)[0];
        var message = Ok(given.Send("spammer", "cara", null, "Hi"));
        var group = Ok(given.Send("spammer", "gus", null, "Hi"));

        given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.ReportSpam(given.Now, "stan", "nope"));
        given.Refuses(RefusalCode.NotTheRecipient, () => given.Engine.ReportSpam(given.Now, "spammer", sent.Message.Id));
        given.Refuses(RefusalCode.NotAnInMail, () => given.Engine.ReportSpam(given.Now, "cara", message.Message.Id));
        given.Refuses(RefusalCode.NotAnInMail, () => given.Engine.ReportSpam(given.Now, "gus", group.Message.Id));
    }

    [Fact]
    public void Unknown_message_goes_before_not_the_recipient()
    {
        var given = Spammer();

        given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.ReportSpam(given.Now, "ghost", "nope"));
    }

    [Fact]
    public void Not_the_recipient_goes_before_not_an_InMail()
    {
        var given = Spammer();
        var message = Ok(given.Send("spammer", "cara", null, "Hi"));

        given.Refuses(RefusalCode.NotTheRecipient, () => given.Engine.ReportSpam(given.Now, "spammer", message.Message.Id));
    }

    [Fact]
    public void Someone_outside_the_conversation_is_told_the_message_does_not_exist_in_the_same_words_as_for_no_message()
    {
        var given = Spammer();
        var sent = SendMany(given, 1)[0];
        var id = sent.Message.Id;

        foreach (var outsider in new[] { "stan", "ghost" })
        {
            var report = given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.ReportSpam(given.Now, outsider, id));
            var respond = given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.Respond(given.Now, outsider, id, ResponseKind.Reply, "Hi"));
            var none = "msg-does-not-exist";
            Assert.Equal(given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.ReportSpam(given.Now, outsider, none)).Message.Replace(none, id, StringComparison.Ordinal), report.Message);
            Assert.Equal(given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.Respond(given.Now, outsider, none, ResponseKind.Reply, "Hi")).Message.Replace(none, id, StringComparison.Ordinal), respond.Message);
        }
        var mark = given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.MarkOutcome("stan", id, SenderMark.Positive));
        Assert.Equal(given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.MarkOutcome("stan", "nope", SenderMark.Positive)).Message.Replace("nope", id, StringComparison.Ordinal), mark.Message);
        Assert.Null(sent.Message.ReportedSpamAt);
        Assert.Null(sent.Message.Response);
    }
}
