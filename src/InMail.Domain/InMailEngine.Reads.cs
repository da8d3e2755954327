using InMail.Domain.Credits;
using InMail.Domain.Network;

namespace InMail.Domain;

/// <summary>
/// Reads that find an aggregate and bring it up to the instant of the read, so a caller cannot
/// forget the catching up and show a balance, a plan or an offer from before what fell due.
/// </summary>
public sealed partial class InMailEngine
{
    /// <summary>
    /// The member with this id as they stand at <paramref name="now"/>: caught up (lot expiries, the
    /// end of a cancelled plan, allowance grants, and their team's own), or null when there is no such
    /// member. Read a member through this whenever what is shown depends on time (balances, plan,
    /// whether Open Profile works).
    /// </summary>
    public Member? MemberAt(DateTimeOffset now, string? id)
    {
        if (State.FindMember(id) is not { } member)
        {
            return null;
        }
        CatchUp(now, member);
        return member;
    }

    /// <summary>
    /// The team with this id as it stands at <paramref name="now"/>: caught up (pool expiries and
    /// grants, the end of a cancelled team plan, which withdraws its seat offers), or null when there
    /// is no such team. An ended team is returned too; check <see cref="Team.IsActive"/>.
    /// </summary>
    public Team? TeamAt(DateTimeOffset now, string? id)
    {
        if (State.FindTeam(id) is not { } team)
        {
            return null;
        }
        CatchUp(now, team);
        return team;
    }
}
