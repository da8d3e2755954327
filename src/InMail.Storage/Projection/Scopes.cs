using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Network;

namespace InMail.Storage.Projection;

/// <summary>The parts of the state a batch of commands may have changed, so the projector looks only there.</summary>
public sealed class Scopes
{
    private readonly Dictionary<string, bool> _members = new(StringComparer.Ordinal);

    /// <summary>Members touched, with whether their network (connections, blocks, groups, invitations) may have changed.</summary>
    public IEnumerable<(string Id, bool Network)> Members => _members.Select(m => (m.Key, m.Value));
    public HashSet<string> Teams { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
    public HashSet<MemberPair> Conversations { get; } = [];
    public HashSet<(string Actor, string Key)> IdempotencyKeys { get; } = [];

    public bool IsEmpty => _members.Count == 0 && Teams.Count == 0 && Groups.Count == 0 && Conversations.Count == 0 && IdempotencyKeys.Count == 0;

    public void Clear()
    {
        _members.Clear();
        Teams.Clear();
        Groups.Clear();
        Conversations.Clear();
        IdempotencyKeys.Clear();
    }

    /// <summary>Every member (with their network), team, group and conversation: the whole projection.</summary>
    public static Scopes Everything(InMailState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var all = new Scopes();
        foreach (var m in state.Members)
        {
            all.Member(state, m.Id, network: true);
        }
        foreach (var t in state.Teams)
        {
            all.Team(state, t.Id);
        }
        foreach (var g in state.Groups)
        {
            all.Groups.Add(g.Id);
        }
        foreach (var c in state.Conversations)
        {
            all.Conversations.Add(c.Pair);
        }
        return all;
    }

    /// <summary>A member, their team, and with <paramref name="network"/> their connections, blocks, groups and invitations.</summary>
    public void Member(InMailState state, string? id, bool network = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (id is null || state.FindMember(id) is not { } member)
        {
            return;
        }
        _members[id] = network || _members.GetValueOrDefault(id);
        if (member.TeamId is { } team)
        {
            Teams.Add(team);
        }
    }

    /// <summary>A team, its pool and every seat (a team change can move members in or out, or end their plan).</summary>
    public void Team(InMailState state, string? id)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (id is null || state.FindTeam(id) is not { } team)
        {
            return;
        }
        Teams.Add(id);
        foreach (var seat in team.Seats)
        {
            Member(state, seat);
        }
    }

    public void Conversation(InMailState state, string a, string b)
    {
        ArgumentNullException.ThrowIfNull(state);
        Conversations.Add(new MemberPair(a, b));
        Member(state, a);
        Member(state, b);
    }

    /// <summary>What a command can touch. Called before and after it runs, so members who leave a team are seen too.</summary>
    public void Add(InMailState state, Command command)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (command)
        {
            case AddMember c: Member(state, c.Id, network: true); break;
            case ChangeSettings c: Member(state, c.Member); break;
            case UpdateProfile c: Member(state, c.Member); break;
            case Connect c: Member(state, c.A, true); Member(state, c.B, true); break;
            case Disconnect c: Member(state, c.A, true); Member(state, c.B, true); break;
            case Invite c: Member(state, c.From, true); Member(state, c.To, true); break;
            case AcceptInvite c: Member(state, c.From, true); Member(state, c.To, true); break;
            case IgnoreInvite c: Member(state, c.From, true); Member(state, c.To, true); break;
            case WithdrawInvite c: Member(state, c.From, true); Member(state, c.To, true); break;
            case Block c: Member(state, c.Member, true); Member(state, c.Blocks, true); break;
            case Unblock c: Member(state, c.Member, true); Member(state, c.Blocks, true); break;
            case JoinGroup c: Member(state, c.Member, true); Groups.Add(c.Group); break;
            case LeaveGroup c: Member(state, c.Member, true); Groups.Add(c.Group); break;
            case CreateGroup c: Member(state, c.Member, true); Groups.Add(c.Id); break;
            case Subscribe c: Member(state, c.Member); break;
            case ChangePlan c: Member(state, c.Member); break;
            case Cancel c: Member(state, c.Member); break;
            case Buy c: Member(state, c.Member); break;
            case GrantBonus c: Member(state, c.Member); break;
            case CreateTeam c: Team(state, c.Id); foreach (var s in c.Seats) { Member(state, s); } Member(state, c.Admin); break;
            case AddSeat c: Team(state, c.Team); Member(state, c.Member); break;
            case OfferSeat c: Team(state, c.Team); break;
            case AcceptSeat c: Team(state, c.Team); Member(state, c.Member); break;
            case DeclineSeat c: Team(state, c.Team); break;
            case LeaveTeam c: Team(state, c.Team); Member(state, c.Member); break;
            case RemoveSeat c: Team(state, c.Team); Member(state, c.Member); break;
            case SetSeatCap c: Team(state, c.Team); break;
            case CancelTeam c: Team(state, c.Team); break;
            case Send c: Conversation(state, c.From, c.To); break;
            case Respond c: Message(state, c.Message); break;
            case ReportSpam c: Message(state, c.Message); break;
            case MarkOutcome c: Message(state, c.Message); break;
            case MarkRead c: Conversation(state, c.Member, c.With); break;
            case Archive c: Conversation(state, c.Member, c.With); break;
            case SaveTemplate c: Member(state, c.Member); break; // templates live in the member's document, no table of their own
            case DeleteTemplate c: Member(state, c.Member); break;
            case ScheduleSend c: Conversation(state, c.From, c.To); break;
            case CancelSchedule c: Member(state, c.Member); break;
            case RunSchedule c:
                Member(state, c.Owner);
                if (state.FindMember(c.Owner)?.Schedules.GetValueOrDefault(c.Schedule) is { } due)
                {
                    Conversation(state, c.Owner, due.Draft.To);
                }
                break;
            case SaveSequence c: Member(state, c.Member); break;
            case DeleteSequence c: Member(state, c.Member); break;
            case Unenroll c: Member(state, c.Member); break;
            case Enroll c:
                Member(state, c.Member);
                foreach (var to in c.Recipients ?? (c.To is null ? [] : [c.To]))
                {
                    Conversation(state, c.Member, to);
                }
                break;
            case RunStep c: Conversation(state, c.Owner, c.To); break;
            case LabelConversation c: Conversation(state, c.Member, c.With); break;
            case CreateLabel c: Member(state, c.Member); break;
            case RenameLabel c: Member(state, c.Member); break;
            case DeleteLabel c: Member(state, c.Member); break;
            case ReadNotifications c: Member(state, c.Member); break;
            case SnoozeConversation c: Conversation(state, c.Member, c.With); break;
            case Unsnooze c: Conversation(state, c.Member, c.With); break;
            case Remind c: Conversation(state, c.Member, c.With); break;
            case CancelReminder c: Conversation(state, c.Member, c.With); break;
            case RunTimer c: Conversation(state, c.Member, c.With); break;
            default: throw new ArgumentOutOfRangeException(nameof(command), command.Verb, "the projection does not know what this command touches");
        }
    }

    private void Message(InMailState state, string id)
    {
        if (state.FindMessage(id) is { } m)
        {
            Conversation(state, m.From, m.To);
        }
    }
}
