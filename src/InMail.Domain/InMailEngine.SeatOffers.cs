using InMail.Domain.Credits;

namespace InMail.Domain;

/// <summary>
/// A seat on a team is offered and accepted: nobody is put on a team, under its admin's eyes and
/// unable to take a plan of their own, without saying yes. A pending offer can be declined, and
/// a seat holder can leave. To anyone without an offer or a seat, a team they ask about is not
/// found, whether it exists or not.
/// </summary>
public sealed partial class InMailEngine
{
    /// <summary>The admin offers <paramref name="memberId"/> a seat; it is theirs once they accept.</summary>
    public Outcome<Team> OfferSeat(DateTimeOffset now, string teamId, string memberId)
    {
        var found = TeamAndMember(now, teamId, memberId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (team, member) = found.Value;
        if (team.HasSeat(member.Id))
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} already holds a seat on team '{team.Id}'.");
        }
        if (team.OfferTo(member.Id) is not null)
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} has already been offered a seat on team '{team.Id}'.");
        }
        if (SeatConflict(member) is { } conflict)
        {
            return conflict;
        }
        team.Offer(member.Id, now);
        return team;
    }

    /// <summary>The member takes the seat they were offered; the pool grows at the team's next cycle, not before.</summary>
    public Outcome<Team> AcceptSeat(DateTimeOffset now, string teamId, string memberId)
    {
        if (OfferedTeam(teamId, memberId) is { } unknown)
        {
            return unknown;
        }
        var found = TeamAndMember(now, teamId, memberId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (team, member) = found.Value;
        if (SeatConflict(member) is { } conflict)
        {
            return conflict; // the offer stays: they may end their own plan first, or decline
        }
        team.AddSeat(member.Id);
        member.SetTeam(team.Id);
        return team;
    }

    /// <summary>The member turns down the seat they were offered.</summary>
    public Outcome<Team> DeclineSeat(DateTimeOffset now, string teamId, string memberId)
    {
        var team = State.FindTeam(teamId);
        if (team is not null)
        {
            CatchUp(now, team); // a team that ended has no offers left to decline
        }
        if (OfferedTeam(teamId, memberId) is { } unknown)
        {
            return unknown;
        }
        team!.WithdrawOffer(memberId);
        return team;
    }

    /// <summary>A seat holder leaves the team: they are on the free plan and their own lots freeze, as when the admin takes the seat away.</summary>
    public Outcome<Team> LeaveTeam(DateTimeOffset now, string teamId, string memberId)
    {
        var team = State.FindTeam(teamId);
        if (team is null || !team.HasSeat(memberId))
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{teamId}' on which you hold a seat.");
        }
        return RemoveSeat(now, teamId, memberId);
    }

    /// <summary>Null when the team has a seat waiting for the member's answer; otherwise the refusal, the same whether the team exists or not.</summary>
    private Refusal? OfferedTeam(string teamId, string memberId) =>
        State.FindTeam(teamId)?.OfferTo(memberId) is null
            ? Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{teamId}' offering you a seat.")
            : null;
}
