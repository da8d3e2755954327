using System.Text;
using InMail.Domain.Network;

namespace InMail.Domain.Outreach;

/// <summary>A member's saved message (SPEC §10): an id, an optional subject and a body, either of which may hold placeholders.</summary>
/// <param name="Id">The template's id, unique among the member's templates.</param>
/// <param name="Subject">The subject, if any; it may hold placeholders.</param>
/// <param name="Body">The body, which may hold placeholders.</param>
/// <param name="SavedAt">When it was last saved.</param>
public sealed record MessageTemplate(string Id, string? Subject, string Body, DateTimeOffset SavedAt);

/// <summary>
/// The placeholder language of templates (SPEC §10): <c>{{name}}</c> or <c>{{name|fallback}}</c>,
/// where name is one of <see cref="Names"/>. Parsing and rendering live here, once, for the engine,
/// the coach, the pages' previews and the API.
/// </summary>
public static class TemplateText
{
    /// <summary>Placeholders filled from the recipient's profile.</summary>
    public static IReadOnlyList<string> RecipientNames { get; } = ["firstName", "lastName", "fullName", "company", "headline"];

    /// <summary>Placeholders filled from the sender's profile.</summary>
    public static IReadOnlyList<string> SenderNames { get; } = ["myFirstName", "myFullName", "myCompany"];

    /// <summary>Every name a placeholder may use.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. RecipientNames, .. SenderNames];

    private abstract record Part;

    private sealed record Literal(string Text) : Part;

    private sealed record Placeholder(string Name, string? Fallback) : Part;

    /// <summary>Null when <paramref name="text"/> is well formed; otherwise what is wrong, in words a member can act on.</summary>
    public static string? Problem(string? text) => Parse(text, out _);

    /// <summary>True when the text uses a placeholder filled from the recipient's profile.</summary>
    public static bool UsesRecipient(string? text) =>
        Parse(text, out var parts) is null && parts.OfType<Placeholder>().Any(p => RecipientNames.Contains(p.Name, StringComparer.Ordinal));

    /// <summary>
    /// The text with each placeholder replaced: a profile value, else the fallback; null with the
    /// unresolved placeholder's name when a value is empty and there is no fallback.
    /// </summary>
    public static (string? Text, string? Unresolved) Render(string? text, Profile recipient, Profile sender)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(sender);
        if (text is null)
        {
            return (null, null);
        }
        if (Parse(text, out var parts) is { } problem)
        {
            throw new InvalidOperationException($"a template that does not parse was rendered: {problem}");
        }
        var result = new StringBuilder(text.Length);
        foreach (var part in parts)
        {
            switch (part)
            {
                case Literal l:
                    result.Append(l.Text);
                    break;
                case Placeholder p:
                    var value = ValueOf(p.Name, recipient, sender);
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        if (p.Fallback is null)
                        {
                            return (null, p.Name);
                        }
                        value = p.Fallback;
                    }
                    result.Append(value);
                    break;
            }
        }
        return (result.ToString(), null);
    }

    /// <summary>A name's first whitespace-separated word.</summary>
    public static string? FirstName(string? name) => Words(name) is { Length: > 0 } w ? w[0] : null;

    /// <summary>A name's last whitespace-separated word, when it has two or more.</summary>
    public static string? LastName(string? name) => Words(name) is { Length: > 1 } w ? w[^1] : null;

    private static string[] Words(string? name) => (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string? ValueOf(string name, Profile recipient, Profile sender) => name switch
    {
        "firstName" => FirstName(recipient.Name),
        "lastName" => LastName(recipient.Name),
        "fullName" => recipient.Name?.Trim(),
        "company" => recipient.Company?.Trim(),
        "headline" => recipient.Headline?.Trim(),
        "myFirstName" => FirstName(sender.Name),
        "myFullName" => sender.Name?.Trim(),
        "myCompany" => sender.Company?.Trim(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a placeholder name"),
    };

    private static string? Parse(string? text, out List<Part> parts)
    {
        parts = [];
        if (text is null)
        {
            return null;
        }
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Literal(text[at..]));
                break;
            }
            if (open > at)
            {
                parts.Add(new Literal(text[at..open]));
            }
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            var nextOpen = text.IndexOf("{{", open + 2, StringComparison.Ordinal);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                return $"A placeholder opened with {{{{ at character {open + 1} is not closed with }}}}.";
            }
            var inside = text[(open + 2)..close];
            var bar = inside.IndexOf('|', StringComparison.Ordinal);
            var name = (bar < 0 ? inside : inside[..bar]).Trim();
            var fallback = bar < 0 ? null : inside[(bar + 1)..];
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                return $"'{{{{{inside}}}}}' names no known placeholder; use one of {string.Join(", ", Names)}.";
            }
            parts.Add(new Placeholder(name, fallback));
            at = close + 2;
        }
        return null;
    }
}
