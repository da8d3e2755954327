using InMail.Domain.Content;
using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §5: lengths in grapheme clusters, required parts, plain text, control characters, the order of checks.</summary>
public sealed class ContentTests
{
    private const string ThumbsUpMediumSkin = "\U0001F44D\U0001F3FD";
    private const string FlagOfFrance = "\U0001F1EB\U0001F1F7";
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";

    /// <summary>Sam on a paid plan; Stan a stranger (InMail path), Cara a connection, Gus a fellow group member.</summary>
    private static Given World() =>
        new Given().Members("sam", "stan", "cara", "gus").Subscribe("sam").Buy("sam", 100).Connect("sam", "cara").Join("devs", "sam", "gus");

    private static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    [Theory]
    [InlineData("abc", 3)]
    [InlineData(ThumbsUpMediumSkin, 1)]
    [InlineData(FlagOfFrance, 1)]
    [InlineData(Family, 1)]
    [InlineData("e\u0301", 1)]
    [InlineData("\r\n", 1)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Length_counts_user_perceived_characters(string? text, int expected)
    {
        Assert.Equal(expected, TextRules.Length(text));
    }

    [Theory]
    [InlineData(ThumbsUpMediumSkin)]
    [InlineData(FlagOfFrance)]
    [InlineData(Family)]
    [InlineData("é")]
    [InlineData("x")]
    public void A_subject_of_200_characters_is_fine_and_201_is_too_long_however_many_code_units_each_takes(string character)
    {
        var given = World();

        var sent = Given.Ok(given.Send("sam", "stan", Repeat(character, 200), "Hi"));
        Assert.Equal(Repeat(character, 200), sent.Message.Subject);

        given.Members("stan2");
        given.Refuses(RefusalCode.SubjectTooLong, () => given.Send("sam", "stan2", Repeat(character, 201), "Hi"));
    }

    [Fact]
    public void An_InMail_body_holds_1900_characters()
    {
        var given = World();

        Given.Ok(given.Send("sam", "stan", "Hi", Repeat(ThumbsUpMediumSkin, 1900)));
        given.Refuses(RefusalCode.BodyTooLong, () => given.Send("sam", "stan", "Hi", Repeat("a", 1901)));
    }

    [Fact]
    public void A_group_message_has_an_optional_subject_up_to_200_and_a_body_up_to_1900()
    {
        var given = World();

        Assert.Null(Given.Ok(given.Send("sam", "gus", null, "Hi")).Message.Subject);
        Assert.Null(Given.Ok(given.Send("sam", "gus", "   ", "Hi")).Message.Subject);
        Assert.Equal(SendPath.Group, Given.Ok(given.Send("sam", "gus", Repeat("s", 200), Repeat("b", 1900))).Quote.Path);
        given.Refuses(RefusalCode.SubjectTooLong, () => given.Send("sam", "gus", Repeat("s", 201), "Hi"));
        given.Refuses(RefusalCode.BodyTooLong, () => given.Send("sam", "gus", null, Repeat("b", 1901)));
        given.Refuses(RefusalCode.BodyRequired, () => given.Send("sam", "gus", "Subject", null));
    }

    [Fact]
    public void A_message_in_an_open_conversation_holds_8000_characters_and_no_subject()
    {
        var given = World();

        Assert.Equal(SendPath.Message, Given.Ok(given.Send("sam", "cara", null, Repeat("b", 8000))).Quote.Path);
        given.Refuses(RefusalCode.BodyTooLong, () => given.Send("sam", "cara", null, Repeat("b", 8001)));
        var sent = Given.Ok(given.Send("sam", "cara", "ignored\u0007" + Repeat("s", 300), "Hi"));
        Assert.Null(sent.Message.Subject);
    }

    [Fact]
    public void An_InMail_needs_a_subject_and_a_body()
    {
        var given = World();

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("sam", "stan", null, "Hi"));
        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("sam", "stan", "", "Hi"));
        given.Refuses(RefusalCode.BodyRequired, () => given.Send("sam", "stan", "Hi", null));
        given.Refuses(RefusalCode.BodyRequired, () => given.Send("sam", "cara", null, ""));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData(" \t\n ")]
    [InlineData("\r\n")]
    [InlineData("\u00A0\u2003")]
    public void Whitespace_only_counts_as_empty(string blank)
    {
        var given = World();

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("sam", "stan", blank, "Hi"));
        given.Refuses(RefusalCode.BodyRequired, () => given.Send("sam", "stan", "Hi", blank));
        given.Refuses(RefusalCode.BodyRequired, () => given.Send("sam", "cara", null, blank));
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0007")]
    [InlineData("\u001B[31m")]
    [InlineData("\u007F")]
    [InlineData("\u0085")]
    [InlineData("line\rreturn")]
    [InlineData("ends with\r")]
    public void Control_characters_other_than_newline_and_tab_are_refused(string bad)
    {
        var given = World();

        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", "Hi", "Hello " + bad));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", "Hi " + bad, "Hello"));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "cara", null, bad));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "gus", bad, "Hello"));
    }

    [Fact]
    public void Broken_surrogate_pairs_are_refused_as_invalid_characters()
    {
        // Built here rather than passed as theory data, which would not survive serialisation intact.
        var given = World();
        var lone = new string('\uD83D', 1);

        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", "Hi", "broken " + lone + " pair"));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", "Hi", "ends broken " + lone));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", "Hi", "stray " + new string('\uDC4D', 1) + " low"));
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("a\ttab")]
    [InlineData("windows\r\nline break")]
    [InlineData("emoji " + ThumbsUpMediumSkin + FlagOfFrance)]
    public void Newline_tab_and_CRLF_are_fine(string text)
    {
        var given = World();

        var sent = Given.Ok(given.Send("sam", "stan", "Hi", text));

        Assert.Equal(text, sent.Message.Body);
    }

    [Fact]
    public void Text_is_stored_exactly_as_written_markup_included()
    {
        var given = World();
        const string body = "<b>Hi</b> & <script>alert('x')</script> &amp;";

        var sent = Given.Ok(given.Send("sam", "stan", "<i>Subject</i>", body));

        Assert.Equal(("<i>Subject</i>", body), (sent.Message.Subject, sent.Message.Body));
    }

    [Fact]
    public void Invalid_characters_are_checked_before_a_missing_subject()
    {
        var given = World();

        given.Refuses(RefusalCode.InvalidCharacters, () => given.Send("sam", "stan", null, "Hi\u0007"));
    }

    [Fact]
    public void A_missing_subject_is_checked_before_a_missing_body()
    {
        var given = World();

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("sam", "stan", null, null));
    }

    [Fact]
    public void A_long_subject_is_checked_before_a_missing_body()
    {
        var given = World();

        given.Refuses(RefusalCode.SubjectTooLong, () => given.Send("sam", "stan", Repeat("s", 201), " "));
    }

    [Fact]
    public void A_reply_needs_a_body_within_the_message_limits_while_accept_and_decline_do_not()
    {
        var given = World();
        var a = given.Sends("sam", "stan");

        given.Refuses(RefusalCode.BodyRequired, () => given.Respond("stan", a.Message.Id, ResponseKind.Reply, "  "));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Respond("stan", a.Message.Id, ResponseKind.Reply, "ok\u0000"));
        given.Refuses(RefusalCode.BodyTooLong, () => given.Respond("stan", a.Message.Id, ResponseKind.Reply, Repeat("b", 8001)));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Respond("stan", a.Message.Id, ResponseKind.Accept, "ok\u0000"));

        var accepted = Given.Ok(given.Respond("stan", a.Message.Id, ResponseKind.Accept, null));
        Assert.Equal("", accepted.Response.Body);
    }

    [Fact]
    public void The_content_rules_follow_the_path_the_send_takes()
    {
        var given = World();

        // The same 1,901-character body is too long for an InMail but fine for a connection.
        given.Refuses(RefusalCode.BodyTooLong, () => given.Send("sam", "stan", "Hi", Repeat("b", 1901)));
        Given.Ok(given.Send("sam", "cara", null, Repeat("b", 1901)));
    }
}
