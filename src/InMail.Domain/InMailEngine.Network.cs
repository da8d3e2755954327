using InMail.Domain.Content;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>The notes a member may put on connection requests now.</summary>
/// <param name="Paid">Whether the member is on a paid plan (which sets the note's length).</param>
/// <param name="Limits">The note's length limit (a note is optional and has no subject).</param>
/// <param name="PerMonth">How many requests per calendar month may carry a note; null when there is no limit (paid plans).</param>
/// <param name="UsedThisMonth">Notes sent this calendar month (UTC).</param>
public sealed record NoteAllowance(bool Paid, ContentLimits Limits, int? PerMonth, int UsedThisMonth);

/// <summary>Members, settings, connections, invitations, blocks and groups (SPEC §6).</summary>
public sealed partial class InMailEngine
{
    /// <summary>
    /// How long a member's activity logs must keep instants: the longest rolling window that reads them.
    /// It follows the catalog's policy, so a catalog with longer windows still counts everything in them.
    /// </summary>
    private TimeSpan ActivityRetention => ActivityRetentionOf(Policy);

    internal static TimeSpan ActivityRetentionOf(Catalog.Policy policy) => new[]
    {
        TimeSpan.FromHours(policy.DailyWindowHours), TimeSpan.FromDays(policy.RecipientWindowDays), TimeSpan.FromDays(policy.SpamWindowDays), TimeSpan.FromDays(policy.InviteWindowDays),
    }.Max();

    /// <summary>Adds a member on the free plan.</summary>
    public Outcome<Member> AddMember(DateTimeOffset now, string id, Profile profile, bool inmail = true, bool groupMessages = true)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!Identifiers.IsValid(id))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("member id"));
        }
        if (State.FindMemberIgnoringCase(id) is { } taken)
        {
            // Ids that differ only by case read as one person (Maya.Chen beside maya.chen): one of them is enough.
            return Refuse.With(RefusalCode.InvalidInput, taken.Id == id
                ? $"A member '{id}' already exists."
                : $"The member id '{id}' differs only by case from '{taken.Id}', which is taken.");
        }
        if (ProfileRules.Check(profile) is { } bad)
        {
            return bad.Refusal;
        }
        var member = new Member(id, profile, now, ActivityRetention);
        member.SetInMail(inmail);
        member.SetGroupMessages(groupMessages);
        State.MemberIndex.Add(id, member);
        State.MemberIdsIgnoringCase.Add(id, id);
        return member;
    }

    /// <summary>Replaces a member's profile (name, headline, company, time zone).</summary>
    public Outcome<Member> UpdateProfile(string memberId, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (ProfileRules.Check(profile) is { } bad)
        {
            return bad.Refusal;
        }
        found.Value.SetProfile(profile);
        return found;
    }

    /// <summary>Changes any of Open Profile, InMail on/off and group messages on/off.</summary>
    public Outcome<Member> ChangeSettings(DateTimeOffset now, string memberId, bool? openProfile = null, bool? inmail = null, bool? groupMessages = null)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        if (openProfile == true && !IsPaid(member))
        {
            return Refuse.With(RefusalCode.OpenProfileRequiresPremium, "Open Profile lets anyone message you for free; it needs a paid plan.");
        }
        if (openProfile is { } op)
        {
            member.SetOpenProfile(op);
        }
        if (inmail is { } im)
        {
            member.SetInMail(im);
        }
        if (groupMessages is { } gm)
        {
            member.SetGroupMessages(gm);
        }
        return member;
    }

    // ---------------------------------------------------------------- connections

    /// <summary>Connects two members at once (an invitation sent and accepted in one step).</summary>
    public Outcome<Done> Connect(DateTimeOffset now, string a, string b)
    {
        var pair = Reachable(a, "member", b, "other member", "A member cannot connect with themselves.");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (x, y) = pair.Value;
        if (x.Connections.Contains(y.Id))
        {
            return Refuse.With(RefusalCode.AlreadyConnected, $"{x.Profile.Name} and {y.Profile.Name} are already connected.");
        }
        Link(x, y);
        return Done.Value;
    }

    /// <summary>Removes a connection; the conversation stays, and stays open if either has written.</summary>
    public Outcome<Done> Disconnect(DateTimeOffset now, string a, string b)
    {
        var pair = Members(a, "member", b, "other member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (x, y) = pair.Value;
        if (!x.Connections.Contains(y.Id))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"{x.Profile.Name} and {y.Profile.Name} are not connected.");
        }
        x.RemoveConnection(y.Id);
        y.RemoveConnection(x.Id);
        return Done.Value;
    }

    /// <summary>What a note on the member's next connection request may be (SPEC §5–§6), as <see cref="Invite"/> checks it.</summary>
    public Outcome<NoteAllowance> Notes(DateTimeOffset now, string memberId)
    {
        var found = Member(memberId, "member");
        return found.IsSuccess ? NotesOf(now, found.Value) : found.Refusal;
    }

    private NoteAllowance NotesOf(DateTimeOffset now, Member member)
    {
        CatchUp(now, member);
        var paid = IsPaid(member);
        return new NoteAllowance(paid, ContentLimits.Of(TextKind.Note, Policy, paid), paid ? null : Policy.BasicNotesPerMonth, member.NotesSent.CountIn(now));
    }

    /// <summary>Sends a connection request, with the checks of SPEC §6 in its order.</summary>
    public Outcome<Invitation> Invite(DateTimeOffset now, string from, string to, string? note)
    {
        var pair = Reachable(from, "sender", to, "invitee", "A member cannot invite themselves.");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (s, r) = pair.Value;
        if (s.Connections.Contains(r.Id))
        {
            return Refuse.With(RefusalCode.AlreadyConnected, $"{s.Profile.Name} and {r.Profile.Name} are already connected.");
        }
        if (State.FindInvitation(s.Id, r.Id) is not null || State.FindInvitation(r.Id, s.Id) is not null)
        {
            return Refuse.With(RefusalCode.InvitationPending, "An invitation between these members is already pending.");
        }
        if (State.FindWithdrawal(s.Id, r.Id) is { } withdrawn && now < UtcCalendar.AddDays(withdrawn, Policy.ReinviteWaitDays))
        {
            return Refuse.With(RefusalCode.ReinviteTooSoon, $"After withdrawing, {s.Profile.Name} can invite {r.Profile.Name} again from {UtcCalendar.Format(UtcCalendar.AddDays(withdrawn, Policy.ReinviteWaitDays))}.");
        }
        var notes = NotesOf(now, s);
        if (TextRules.CheckNote(note, notes.Paid, Policy) is { } bad)
        {
            return bad;
        }
        var hasNote = !TextRules.IsBlank(note);
        if (hasNote && notes.PerMonth is { } perMonth && notes.UsedThisMonth >= perMonth)
        {
            return Refuse.With(RefusalCode.NoteLimitReached, $"On the free plan a note goes with at most {perMonth} invitations a month; send this one without a note, or from {UtcCalendar.Format(UtcCalendar.StartOfNextMonth(now))}.");
        }
        var inviteWindow = TimeSpan.FromDays(Policy.InviteWindowDays);
        if (s.InvitationsSent.CountWithin(now, inviteWindow) >= Policy.InvitesPerWeek)
        {
            var freeAt = s.InvitationsSent.FreeAgainAt(now, inviteWindow, Policy.InvitesPerWeek);
            return Refuse.With(RefusalCode.WeeklyInviteLimit, $"At most {Policy.InvitesPerWeek} invitations in {Policy.InviteWindowDays} days; the next can go at {(freeAt is { } f ? UtcCalendar.Format(f) : "a later time")}.");
        }
        var invitation = new Invitation(s.Id, r.Id, hasNote ? note : null, now);
        State.InvitationIndex.Add((s.Id, r.Id), invitation);
        s.InvitationsSent.Add(now);
        if (hasNote)
        {
            s.NotesSent.Add(now);
        }
        return invitation;
    }

    /// <summary>The invitee accepts: the two are 1st-degree connections.</summary>
    public Outcome<Done> AcceptInvitation(DateTimeOffset now, string from, string to)
    {
        var found = PendingInvitation(from, to);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        Link(State.LoadedMember(from), State.LoadedMember(to));
        return Done.Value;
    }

    /// <summary>The invitee ignores: the invitation is gone, nothing else changes.</summary>
    public Outcome<Done> IgnoreInvitation(DateTimeOffset now, string from, string to)
    {
        var found = PendingInvitation(from, to);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        State.InvitationIndex.Remove((from, to));
        return Done.Value;
    }

    /// <summary>The sender withdraws; they may not invite the same member again for the reinvite wait.</summary>
    public Outcome<Done> WithdrawInvitation(DateTimeOffset now, string from, string to)
    {
        var found = PendingInvitation(from, to);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        State.InvitationIndex.Remove((from, to));
        State.Withdrawals[(from, to)] = now;
        return Done.Value;
    }

    private Outcome<Invitation> PendingInvitation(string from, string to)
    {
        var pair = Members(from, "sender", to, "invitee");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        return State.FindInvitation(from, to) is { } invitation
            ? invitation
            : Refuse.With(RefusalCode.InvitationNotFound, $"There is no pending invitation from '{from}' to '{to}'.");
    }

    private void Link(Member x, Member y)
    {
        x.AddConnection(y.Id);
        y.AddConnection(x.Id);
        State.InvitationIndex.Remove((x.Id, y.Id));
        State.InvitationIndex.Remove((y.Id, x.Id));
    }

    // ---------------------------------------------------------------- blocks

    /// <summary>Blocks a member: every path stops both ways, and any connection or pending invitation goes.</summary>
    public Outcome<Done> Block(DateTimeOffset now, string memberId, string blocks)
    {
        var pair = Members(memberId, "member", blocks, "blocked member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (m, other) = pair.Value;
        if (m == other)
        {
            return Refuse.With(RefusalCode.SelfMessage, "A member cannot block themselves.");
        }
        m.AddBlock(other.Id);
        m.RemoveConnection(other.Id);
        other.RemoveConnection(m.Id);
        State.InvitationIndex.Remove((m.Id, other.Id));
        State.InvitationIndex.Remove((other.Id, m.Id));
        return Done.Value;
    }

    /// <summary>Lifts a block this member made; a removed connection does not come back.</summary>
    public Outcome<Done> Unblock(DateTimeOffset now, string memberId, string blocked)
    {
        var pair = Members(memberId, "member", blocked, "blocked member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        pair.Value.A.RemoveBlock(pair.Value.B.Id);
        return Done.Value;
    }

    // ---------------------------------------------------------------- groups

    /// <summary>Creates a group members can join.</summary>
    public Outcome<Group> CreateGroup(string groupId, string name)
    {
        if (!Identifiers.IsValid(groupId))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("group id"));
        }
        if (TextRules.IsBlank(name) || TextRules.Length(name) > 100 || TextRules.HasInvalidCharacters(name))
        {
            return Refuse.With(RefusalCode.InvalidInput, "A group name is 1–100 characters of plain text.");
        }
        if (State.FindGroup(groupId) is not null)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A group '{groupId}' already exists.");
        }
        var group = new Group(groupId, name);
        State.GroupIndex.Add(groupId, group);
        return group;
    }

    /// <summary>
    /// The member joins an existing group (joining one they are in changes nothing); its members then share a free path
    /// (SPEC §4).
    /// </summary>
    public Outcome<Group> JoinGroup(DateTimeOffset now, string memberId, string groupId)
    {
        var found = MemberAndGroup(memberId, groupId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, group) = found.Value;
        group.Add(member.Id);
        member.Join(group.Id);
        return group;
    }

    /// <summary>The member leaves a group; <c>invalid-input</c> when they are not in it.</summary>
    public Outcome<Group> LeaveGroup(DateTimeOffset now, string memberId, string groupId)
    {
        var found = MemberAndGroup(memberId, groupId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, group) = found.Value;
        if (!group.Remove(member.Id))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"{member.Profile.Name} is not in group '{group.Name}'.");
        }
        member.Leave(group.Id);
        return group;
    }

    private Outcome<(Member, Group)> MemberAndGroup(string memberId, string groupId)
    {
        var member = Member(memberId, "member");
        if (!member.IsSuccess)
        {
            return member.Refusal;
        }
        var group = State.FindGroup(groupId);
        return group is null
            ? Refuse.With(RefusalCode.InvalidInput, $"There is no group '{groupId}'.")
            : (member.Value, group);
    }
}
