using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Storage;

/// <summary>
/// The aggregates a command will surely load, named from the command alone, so that a batch reads the missing
/// ones in one query (<see cref="DatabaseStateSource.Prefetch"/>) instead of one round trip each as the engine
/// asks for them. Only a hint for speed: a key left out is loaded on demand, one read ahead for nothing costs a row.
/// </summary>
internal static class BatchPrefetch
{
    public static void AddKeys(Command command, ICollection<AggregateKey> keys)
    {
        switch (command)
        {
            case Send c: Pair(keys, c.From, c.To); break;
            case MarkRead c: Pair(keys, c.Member, c.With); break;
            case Archive c: Pair(keys, c.Member, c.With); break;
            case Connect c: Members(keys, c.A, c.B); break;
            case Disconnect c: Members(keys, c.A, c.B); break;
            case Invite c: Members(keys, c.From, c.To); break;
            case AcceptInvite c: Members(keys, c.From, c.To); break;
            case IgnoreInvite c: Members(keys, c.From, c.To); break;
            case WithdrawInvite c: Members(keys, c.From, c.To); break;
            case Block c: Members(keys, c.Member, c.Blocks); break;
            case Unblock c: Members(keys, c.Member, c.Blocks); break;
            case Subscribe c: Member(keys, c.Member); break;
            case ChangePlan c: Member(keys, c.Member); break;
            case Cancel c: Member(keys, c.Member); break;
            case Buy c: Member(keys, c.Member); break;
            case GrantBonus c: Member(keys, c.Member); break;
            case ChangeSettings c: Member(keys, c.Member); break;
            case UpdateProfile c: Member(keys, c.Member); break;
            default: break;
        }
    }

    // Only ids that can exist are read ahead, as the loader reads only those: a hostile id (a NUL, 10,000 characters)
    // is refused by the engine, never sent to the database.
    private static void Member(ICollection<AggregateKey> keys, string? id)
    {
        if (Identifiers.IsValid(id))
        {
            keys.Add(AggregateKey.ForMember(id!));
        }
    }

    private static void Members(ICollection<AggregateKey> keys, string? a, string? b)
    {
        Member(keys, a);
        Member(keys, b);
    }

    private static void Pair(ICollection<AggregateKey> keys, string? a, string? b)
    {
        Members(keys, a, b);
        if (Identifiers.IsValid(a) && Identifiers.IsValid(b))
        {
            keys.Add(AggregateKey.ForConversation(new MemberPair(a!, b!)));
        }
    }
}
