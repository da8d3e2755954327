using InMail.Domain.Catalog;
using InMail.Domain.Network;
using InMail.Domain.Outreach;
using InMail.Domain.Tests.Rules;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §10's coach: each finding at its threshold, the order, and the copy-paste measure worked by hand.</summary>
public sealed class CoachTests
{
    private static readonly Policy Policy = PlanCatalog.Default.Policy;
    private static readonly Profile Sam = new("Sam Lee", "Engineer", "Blue Harbor Labs");

    private static List<string> Codes(string? subject, string body, bool personalised = false, params (string, string)[] recent) =>
        Coach.Review(subject, body, Sam, personalised, recent, Policy).Select(f => f.Code).ToList();

    [Fact]
    public void A_short_personal_draft_with_one_question_draws_nothing() =>
        Assert.Empty(Codes("Your talk", "Sam, your talk on queues was great. Coffee next week?"));

    [Fact]
    public void The_body_is_long_from_400_characters_counted_as_people_see_them()
    {
        var ask = "Sam, coffee?";
        Assert.DoesNotContain("long-body", Codes(null, ask + new string('a', 399 - ask.Length)));
        Assert.Contains("long-body", Codes(null, ask + new string('a', 400 - ask.Length)));
        // 400 flags are 400 characters to a reader, 800 UTF-16 units: long; 399 of them are not.
        Assert.Contains("long-body", Codes(null, ask + string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 400 - ask.Length))));
        Assert.DoesNotContain("long-body", Codes(null, ask + string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 399 - ask.Length))));
    }

    [Theory]
    [InlineData("one two three four five", false)]
    [InlineData("one two three four five six", true)]
    [InlineData("one - two -- three ... four five", false)] // punctuation alone is no word
    [InlineData("a1 b2 c3 d4 e5 f6", true)]
    public void A_subject_of_more_than_five_words_is_wordy(string subject, bool wordy) =>
        Assert.Equal(wordy, Codes(subject, "Sam, coffee?").Contains("wordy-subject"));

    [Theory]
    [InlineData("Sam, we should talk.", "no-ask")]
    [InlineData("Sam, coffee? Or tea?", "several-asks")]
    [InlineData("Sam, really?? ", "several-asks")]
    public void One_question_mark_is_one_ask(string body, string code) => Assert.Contains(code, Codes(null, body));

    [Theory]
    [InlineData("Sam, I think my team and I want this. Thoughts?", true)] // I, my, I: 3 against 0
    [InlineData("Sam, I think my team wants this. Thoughts?", false)] // 2 first-person words are too few
    [InlineData("Sam, I, me and my team want you and your yours?", false)] // 3 against 3: not more
    [InlineData("Sam, WE and OUR and US want you?", true)] // any case: 3 against 1
    [InlineData("Sam, mine, ours, Iowa and mean?", false)] // whole words only: mine, ours (2); Iowa and mean are not I or me
    public void About_me_needs_three_first_person_words_and_more_than_second_person(string body, bool aboutMe) =>
        Assert.Equal(aboutMe, Codes(null, body).Contains("about-me"));

    [Theory]
    [InlineData("Hello", "Hi SAM, coffee?", false)]
    [InlineData("Hello", "Hi Samuel, coffee?", true)] // whole words: Samuel is not Sam
    [InlineData("Blue Harbor Labs", "Coffee?", false)] // the company, in the subject
    [InlineData("Hello", "Fan of blue harbor labs. Coffee?", false)]
    [InlineData("Hello", "Fan of Blue Harbor. Coffee?", true)] // part of the company is not the company
    public void Generic_when_neither_first_name_nor_company_appears(string subject, string body, bool generic) =>
        Assert.Equal(generic, Codes(subject, body).Contains("generic"));

    [Fact]
    public void A_recipient_placeholder_is_personal_enough() =>
        Assert.DoesNotContain("generic", Codes("Hello", "Coffee?", personalised: true));

    [Fact]
    public void Shingles_are_three_word_windows_of_the_lower_cased_words_without_punctuation()
    {
        Assert.Equal(new HashSet<string> { "hi there you", "there you all" }, Coach.Shingles("Hi, there! You all."));
        Assert.Equal(new HashSet<string> { "hi sam" }, Coach.Shingles("Hi Sam"));
        Assert.Empty(Coach.Shingles("  ... "));
    }

    [Fact]
    public void Jaccard_is_shared_over_all()
    {
        // a b c d e → {abc, bcd, cde}; a b c d f → {abc, bcd, cdf}: 2 shared of 4 = 0.5.
        Assert.Equal(0.5, Coach.Jaccard(Coach.Shingles("a b c d e"), Coach.Shingles("a b c d f")));
        Assert.Equal(1.0, Coach.Jaccard(Coach.Shingles("A b, c d."), Coach.Shingles("a B c D")));
        Assert.Equal(0.0, Coach.Jaccard([], []));
    }

    [Fact]
    public void Copy_paste_needs_three_other_recipients_at_eighty_percent()
    {
        // 11 words → 9 shingles; changing the last word changes 1 of 9: 8 shared of 10 = 0.8, near-identical.
        const string body = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 Sam?";
        const string close = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 Bob?";
        // Changing the 10th word too: 7 shared of 11 < 0.8.
        const string far = "w1 w2 w3 w4 w5 w6 w7 w8 w9 x10 Bob?";
        Assert.Equal(0.8, Coach.Jaccard(Coach.Shingles(body), Coach.Shingles(close)), 10);
        Assert.Contains("copy-paste", Codes(null, body, false, ("a", close), ("b", close), ("c", close)));
        Assert.DoesNotContain("copy-paste", Codes(null, body, false, ("a", close), ("a", close), ("c", close))); // two people
        Assert.DoesNotContain("copy-paste", Codes(null, body, false, ("a", close), ("b", close), ("c", far)));
    }

    [Fact]
    public void Findings_come_in_the_specs_order()
    {
        var body = "I and my team and I think we can help our clients like me. " + new string('x', 400);
        Assert.Equal(["long-body", "wordy-subject", "no-ask", "about-me", "generic"], Codes("A very long subject line indeed today", body));
    }

    [Fact]
    public void The_engine_reads_only_the_senders_InMails_of_the_last_thirty_days_to_others()
    {
        var given = new Given().Members("rita", "sam", "a", "b", "c", "d", "friend").Subscribe("rita").Connect("rita", "friend");
        const string pitch = "Hello, we are hiring engineers for a remote role, interested in a chat?";
        foreach (var to in new[] { "a", "b" })
        {
            Assert.True(given.Engine.Send(given.Now, new SendRequest("rita", to, "Role", pitch)).IsSuccess);
        }
        // A message to a connection is not an InMail: it does not count.
        Assert.True(given.Engine.Send(given.Now, new SendRequest("rita", "friend", null, pitch)).IsSuccess);
        Assert.DoesNotContain(Codes(given, "d", pitch), c => c == "copy-paste");
        Assert.True(given.Engine.Send(given.Now, new SendRequest("rita", "c", "Role", pitch)).IsSuccess);
        Assert.Contains("copy-paste", Codes(given, "d", pitch));
        given.Now += TimeSpan.FromDays(30);
        Assert.DoesNotContain("copy-paste", Codes(given, "d", pitch));
    }

    private static List<string> Codes(Given given, string to, string body) =>
        given.Engine.CoachDraft(given.Now, new Draft("rita", to, "Role", body)).Value.Findings.Select(f => f.Code).ToList();
}
