using InMail.Domain.Content;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>Makes a label (SPEC §11): 1–30 characters, unique without regard to case, at most 20 per member (<c>label-limit-reached</c>).</summary>
    public Outcome<InboxLabel> CreateLabel(DateTimeOffset now, string memberId, string? name)
    {
        _ = now;
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        if (LabelNameProblem(name) is { } bad)
        {
            return bad;
        }
        if (member.FindLabel(name) is { } same)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"You already have the label '{same.Name}'.");
        }
        if (member.Labels.Count >= Policy.LabelsPerMember)
        {
            return LabelLimit();
        }
        return member.AddLabel(name!.Trim());
    }

    /// <summary>Renames a label; the conversations carrying it keep it.</summary>
    public Outcome<InboxLabel> RenameLabel(DateTimeOffset now, string memberId, string? name, string? newName)
    {
        _ = now;
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        if (member.FindLabel(name) is not { } label)
        {
            return NoSuchLabel(name);
        }
        if (LabelNameProblem(newName) is { } bad)
        {
            return bad;
        }
        if (member.FindLabel(newName) is { } other && other.Id != label.Id)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"You already have the label '{other.Name}'.");
        }
        member.RenameLabel(label, newName!.Trim());
        return member.FindLabel(newName)!;
    }

    /// <summary>Deletes a label; it leaves every conversation that carried it.</summary>
    public Outcome<InboxLabel> DeleteLabel(DateTimeOffset now, string memberId, string? name)
    {
        _ = now;
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (found.Value.FindLabel(name) is not { } label)
        {
            return NoSuchLabel(name);
        }
        found.Value.DeleteLabel(label);
        return label;
    }

    /// <summary>
    /// Puts labels on the member's conversation with <paramref name="otherId"/> and takes others off
    /// (SPEC §11). A name the member has no label for yet makes one (within the 20, all or nothing);
    /// taking off a label the conversation lacks changes nothing. Returns the conversation's labels.
    /// </summary>
    public Outcome<IReadOnlyList<InboxLabel>> Label(DateTimeOffset now, string memberId, string otherId, IReadOnlyList<string>? add, IReadOnlyList<string>? remove)
    {
        _ = now;
        var pair = Members(memberId, "member", otherId, "other member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (member, other) = pair.Value;
        if (State.FindConversation(member.Id, other.Id) is not { } conversation)
        {
            return Refuse.With(RefusalCode.UnknownConversation, $"You have no conversation with {other.Profile.Name}.");
        }
        add ??= [];
        remove ??= [];
        if (add.Count == 0 && remove.Count == 0)
        {
            return Refuse.With(RefusalCode.InvalidInput, "Name labels to add, to remove, or both.");
        }
        foreach (var name in add.Concat(remove))
        {
            if (LabelNameProblem(name) is { } bad)
            {
                return bad;
            }
        }
        var fresh = add.Where(n => member.FindLabel(n) is null).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (member.Labels.Count + fresh.Count > Policy.LabelsPerMember)
        {
            return LabelLimit();
        }
        foreach (var name in fresh)
        {
            member.AddLabel(name);
        }
        var ids = LabelsOn(conversation, member).Select(l => l.Id).ToHashSet();
        ids.UnionWith(add.Select(n => member.FindLabel(n)!.Id));
        ids.ExceptWith(remove.Select(n => member.FindLabel(n)?.Id ?? 0));
        conversation.SetLabels(member.Id, ids);
        return LabelsOn(conversation, member).ToList();
    }

    /// <summary>The labels <paramref name="member"/> put on a conversation that are still theirs, in the order they made them.</summary>
    public static IEnumerable<InboxLabel> LabelsOn(Conversation conversation, Member member)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(member);
        var ids = conversation.LabelIdsFor(member.Id);
        return member.Labels.Where(l => ids.Contains(l.Id));
    }

    /// <summary>
    /// The member's active inbox (SPEC §11): conversations not archived, most recent activity first,
    /// as the other members' ids; with <paramref name="label"/>, only those carrying it (an unknown
    /// label has none). Reads the conversations in memory: the scenario replay's view; the service
    /// pages the same from its tables.
    /// </summary>
    public Outcome<IReadOnlyList<string>> Inbox(DateTimeOffset now, string memberId, string? label = null)
    {
        _ = now;
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        var wanted = label is null ? null : member.FindLabel(label);
        if (label is not null && wanted is null)
        {
            return Array.Empty<string>();
        }
        return State.InboxOf(member.Id).Entries.Reverse()
            .Select(e => State.FindConversation(e.Pair)!)
            .Where(c => wanted is null || c.LabelIdsFor(member.Id).Contains(wanted.Id))
            .Select(c => c.Pair.Other(member.Id))
            .ToList();
    }

    private Refusal? LabelNameProblem(string? name)
    {
        var trimmed = name?.Trim();
        if (TextRules.IsBlank(trimmed) || TextRules.Length(trimmed) > Policy.LabelMaxLength)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A label has 1 to {Policy.LabelMaxLength} characters, not '{name}'.");
        }
        return TextRules.HasInvalidCharacters(trimmed) ? Refuse.With(RefusalCode.InvalidInput, "A label cannot hold control characters.") : null;
    }

    private Refusal LabelLimit() =>
        Refuse.With(RefusalCode.LabelLimitReached, $"You have {Policy.LabelsPerMember} labels, the most there can be; delete or reuse one.");

    private static Refusal NoSuchLabel(string? name) => Refuse.With(RefusalCode.InvalidInput, $"You have no label '{name}'.");
}
