using InMail.Domain.Catalog;
using InMail.Domain.Network;

namespace InMail.Domain.Outreach;

/// <summary>One piece of the coach's advice: a stable code, what to change, and the seed advice it comes from.</summary>
/// <param name="Code">The finding's code, one of <see cref="Coach.Codes"/>.</param>
/// <param name="Advice">What to change, in a sentence about this draft.</param>
/// <param name="Source">The seed advice the finding comes from.</param>
public sealed record CoachFinding(string Code, string Advice, string Source);

/// <summary>A draft as the coach read it (rendered for its recipient), and its findings in SPEC §10's order.</summary>
/// <param name="Subject">The subject the coach read, rendered; null without one.</param>
/// <param name="Body">The body the coach read, rendered.</param>
/// <param name="Findings">The findings, in the order of <see cref="Coach.Codes"/>; empty when the coach has nothing to say.</param>
public sealed record CoachReport(string? Subject, string Body, IReadOnlyList<CoachFinding> Findings);

/// <summary>
/// The coach of SPEC §10: reads a rendered draft and returns advice, never a refusal. Every
/// threshold comes from the catalog's <see cref="Policy"/>.
/// </summary>
public static class Coach
{
    /// <summary>Every finding code, in the order findings are reported.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["long-body", "wordy-subject", "no-ask", "several-asks", "about-me", "generic", "copy-paste"];

    private static readonly HashSet<string> FirstPerson = new(StringComparer.Ordinal) { "i", "me", "my", "mine", "we", "us", "our", "ours" };
    private static readonly HashSet<string> SecondPerson = new(StringComparer.Ordinal) { "you", "your", "yours" };

    /// <summary>
    /// Reviews a draft. <paramref name="personalised"/> is true when the draft came from a template
    /// that used a recipient placeholder; <paramref name="recentBodies"/> are the bodies of the InMails
    /// the sender sent to other recipients within the copy-paste window, with their recipients.
    /// </summary>
    public static IReadOnlyList<CoachFinding> Review(string? subject, string body, Profile recipient, bool personalised,
        IEnumerable<(string Recipient, string Body)> recentBodies, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(recentBodies);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new List<CoachFinding>();
        var length = Content.TextRules.Length(body);
        if (length >= policy.CoachLongBodyCharacters)
        {
            findings.Add(new("long-body",
                $"The body has {length} characters; InMails under {policy.CoachLongBodyCharacters} get more replies. Cut it to the one thing you want them to know.",
                "Seed 000: messages under 400 characters receive 22% higher response rates than longer ones."));
        }
        var subjectWords = Words(subject).Count;
        if (subjectWords > policy.CoachSubjectMaxWords)
        {
            findings.Add(new("wordy-subject",
                $"The subject has {subjectWords} words; keep it to {policy.CoachSubjectMaxWords} or fewer so it reads at a glance.",
                "Seed 003: the subject line is your first impression; make it sharp."));
        }
        var asks = body.Count(c => c == '?');
        if (asks == 0)
        {
            findings.Add(new("no-ask", "The body asks nothing; end with one clear question they can answer in a line.", "Seed 000: focus on a single, clear call to action; multiple requests or questions reduce the likelihood of any response."));
        }
        else if (asks > 1)
        {
            findings.Add(new("several-asks", $"The body asks {asks} questions; keep the one that matters most.", "Seed 000: focus on a single, clear call to action; multiple requests or questions reduce the likelihood of any response."));
        }
        var tokens = Tokens(body);
        var me = tokens.Count(FirstPerson.Contains);
        var you = tokens.Count(SecondPerson.Contains);
        if (me >= policy.CoachAboutMeMinWords && me > you)
        {
            findings.Add(new("about-me", $"The body says I/me/we {me} times and you/your {you} times; make it about them.", "Seed 000: the most common mistake is a message that focuses on your needs instead of offering value to the recipient."));
        }
        if (!personalised && !Mentions(subject, body, TemplateText.FirstName(recipient.Name)) && !Mentions(subject, body, recipient.Company))
        {
            findings.Add(new("generic", $"Nothing in it names {recipient.Name} or their company; say why you are writing to them in particular.", "Seed 003: use the recipient's name and reference their work; seed 000: generic templates are easily spotted and dismissed."));
        }
        var mine = Shingles(body);
        var alike = recentBodies
            .Where(r => AtLeast(mine, Shingles(r.Body), policy.CoachCopyPasteSimilarityPercent))
            .Select(r => r.Recipient)
            .Distinct(StringComparer.Ordinal)
            .Count();
        if (alike >= policy.CoachCopyPasteRecipients)
        {
            findings.Add(new("copy-paste", $"You sent a near-identical InMail to {alike} other people in the last {policy.CoachCopyPasteDays} days; recipients can tell.", "Seed 000: the most common mistake is sending generic, copy-pasted messages."));
        }
        return findings;
    }

    /// <summary>Words as SPEC §10 counts them: runs of non-whitespace holding a letter or digit.</summary>
    public static IReadOnlyList<string> Words(string? text) =>
        (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(w => w.Any(char.IsLetterOrDigit)).ToList();

    /// <summary>Lower-cased runs of letters and digits: whole words for matching pronouns and names.</summary>
    private static List<string> Tokens(string? text)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in text ?? "")
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        return tokens;
    }

    private static bool Mentions(string? subject, string body, string? phrase)
    {
        var wanted = Tokens(phrase);
        if (wanted.Count == 0)
        {
            return false;
        }
        return Contains(Tokens(subject), wanted) || Contains(Tokens(body), wanted);
    }

    private static bool Contains(List<string> tokens, List<string> wanted)
    {
        for (var i = 0; i + wanted.Count <= tokens.Count; i++)
        {
            if (wanted.Select((w, k) => tokens[i + k] == w).All(x => x))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The set of 3-word shingles of the lower-cased body, punctuation stripped (a shorter body is one shingle).</summary>
    public static HashSet<string> Shingles(string body)
    {
        var words = Words(body)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray()))
            .ToList();
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (words.Count is > 0 and < 3)
        {
            set.Add(string.Join(' ', words));
        }
        for (var i = 0; i + 3 <= words.Count; i++)
        {
            set.Add($"{words[i]} {words[i + 1]} {words[i + 2]}");
        }
        return set;
    }

    /// <summary>Whether the Jaccard similarity is at least <paramref name="percent"/>%, in whole numbers (0.8 is exactly 80%, not a rounding away).</summary>
    private static bool AtLeast(HashSet<string> a, HashSet<string> b, int percent)
    {
        var both = a.Count(b.Contains);
        var union = a.Count + b.Count - both;
        return union > 0 && both * 100L >= percent * (long)union;
    }

    /// <summary>|A ∩ B| ÷ |A ∪ B|; 0 when both are empty.</summary>
    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var union = a.Count + b.Count;
        if (union == 0)
        {
            return 0;
        }
        var both = a.Count(b.Contains);
        return (double)both / (union - both);
    }
}
