using System.Text.Json;
using System.Text.Json.Serialization;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;

namespace InMail.Domain.Commands;

/// <summary>
/// A request that changes the system, in the vocabulary of SPEC §8's scenario scripts: the JSON of
/// a command is a script step without its <c>at</c> and expectations. The same form is what the
/// service logs (decision 003), so a log can be replayed and a script can be logged. Applying a
/// command is deterministic: the same commands at the same instants give the same state.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "do")]
[JsonDerivedType(typeof(AddMember), "member")]
[JsonDerivedType(typeof(ChangeSettings), "set")]
[JsonDerivedType(typeof(Connect), "connect")]
[JsonDerivedType(typeof(Disconnect), "disconnect")]
[JsonDerivedType(typeof(Invite), "invite")]
[JsonDerivedType(typeof(AcceptInvite), "accept-invite")]
[JsonDerivedType(typeof(IgnoreInvite), "ignore-invite")]
[JsonDerivedType(typeof(WithdrawInvite), "withdraw-invite")]
[JsonDerivedType(typeof(JoinGroup), "join-group")]
[JsonDerivedType(typeof(LeaveGroup), "leave-group")]
[JsonDerivedType(typeof(Block), "block")]
[JsonDerivedType(typeof(Unblock), "unblock")]
[JsonDerivedType(typeof(Subscribe), "subscribe")]
[JsonDerivedType(typeof(ChangePlan), "change-plan")]
[JsonDerivedType(typeof(Cancel), "cancel")]
[JsonDerivedType(typeof(CreateTeam), "team")]
[JsonDerivedType(typeof(AddSeat), "team-add")]
[JsonDerivedType(typeof(OfferSeat), "team-offer")]
[JsonDerivedType(typeof(AcceptSeat), "team-accept")]
[JsonDerivedType(typeof(DeclineSeat), "team-decline")]
[JsonDerivedType(typeof(LeaveTeam), "team-leave")]
[JsonDerivedType(typeof(RemoveSeat), "team-remove")]
[JsonDerivedType(typeof(SetSeatCap), "team-cap")]
[JsonDerivedType(typeof(CancelTeam), "team-cancel")]
[JsonDerivedType(typeof(Buy), "buy")]
[JsonDerivedType(typeof(GrantBonus), "grant")]
[JsonDerivedType(typeof(Send), "send")]
[JsonDerivedType(typeof(Respond), "respond")]
[JsonDerivedType(typeof(ReportSpam), "report-spam")]
[JsonDerivedType(typeof(MarkOutcome), "mark")]
[JsonDerivedType(typeof(MarkRead), "read")]
[JsonDerivedType(typeof(Archive), "archive")]
[JsonDerivedType(typeof(UpdateProfile), "profile")]
[JsonDerivedType(typeof(CreateGroup), "group")]
[JsonDerivedType(typeof(SaveTemplate), "template")]
[JsonDerivedType(typeof(DeleteTemplate), "delete-template")]
[JsonDerivedType(typeof(ScheduleSend), "schedule")]
[JsonDerivedType(typeof(CancelSchedule), "cancel-schedule")]
[JsonDerivedType(typeof(RunSchedule), "run-schedule")]
[JsonDerivedType(typeof(SaveSequence), "sequence")]
[JsonDerivedType(typeof(DeleteSequence), "delete-sequence")]
[JsonDerivedType(typeof(Enroll), "enroll")]
[JsonDerivedType(typeof(Unenroll), "unenroll")]
[JsonDerivedType(typeof(RunStep), "run-step")]
[JsonDerivedType(typeof(LabelConversation), "label")]
[JsonDerivedType(typeof(CreateLabel), "create-label")]
[JsonDerivedType(typeof(RenameLabel), "rename-label")]
[JsonDerivedType(typeof(DeleteLabel), "delete-label")]
[JsonDerivedType(typeof(ReadNotifications), "read-notifications")]
[JsonDerivedType(typeof(SnoozeConversation), "snooze")]
[JsonDerivedType(typeof(Unsnooze), "unsnooze")]
[JsonDerivedType(typeof(Remind), "remind")]
[JsonDerivedType(typeof(CancelReminder), "cancel-reminder")]
[JsonDerivedType(typeof(RunTimer), "run-timer")]
public abstract record Command
{
    /// <summary>
    /// Carries the command out at <paramref name="now"/>: its result, boxed, or the refusal that changed nothing. This is
    /// how the log, replays and scripts run a command whose type they do not know; code that knows it calls
    /// <see cref="Command{TResult}.CarryOut"/> and gets the result as its type.
    /// </summary>
    public abstract Outcome<object> Apply(InMailEngine engine, DateTimeOffset now);

    /// <summary>The command's verb, as scripts and the log spell it.</summary>
    [JsonIgnore]
    public string Verb => CommandJson.VerbOf(GetType());

    private protected static Outcome<T> WithBilling<T>(string? billing, Func<BillingPeriod, Outcome<T>> run) => billing switch
    {
        null or "monthly" => run(BillingPeriod.Monthly),
        "annual" => run(BillingPeriod.Annual),
        _ => Refuse.With(RefusalCode.InvalidInput, $"Billing is monthly or annual, not '{billing}'."),
    };
}

/// <summary>
/// A command whose result is a <typeparamref name="TResult"/>: what the engine hands back when it carries the command out
/// (a <see cref="Sent"/> for a <see cref="Send"/>, <see cref="Done"/> when there is nothing to hand back but success).
/// Every concrete command derives from this, so a caller that builds one knows what it gets. Its JSON is the base
/// <see cref="Command"/>'s: this type adds no field, so the log and the idempotency fingerprints do not change.
/// </summary>
/// <typeparam name="TResult">The result of carrying the command out.</typeparam>
public abstract record Command<TResult> : Command
    where TResult : notnull
{
    /// <summary>Carries the command out at <paramref name="now"/>: its result, or the refusal that changed nothing.</summary>
    public abstract Outcome<TResult> CarryOut(InMailEngine engine, DateTimeOffset now);

    /// <summary>Carries the command out (<see cref="CarryOut"/>) and boxes its result: the one place a command's result becomes an object.</summary>
    public sealed override Outcome<object> Apply(InMailEngine engine, DateTimeOffset now)
    {
        var outcome = CarryOut(engine, now);
        return outcome.IsSuccess ? Outcome<object>.Success(outcome.Value) : outcome.Refusal;
    }
}

/// <summary>Adds a member on the free plan with a profile and their settings; returns the new member.</summary>
/// <param name="Id">The new member's id: 1–64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, unique without regard to case.</param>
/// <param name="Name">The name others see (required).</param>
/// <param name="Inmail">Whether the member accepts InMail; true when left out.</param>
/// <param name="GroupMessages">Whether the member accepts messages from fellow group members; true when left out.</param>
/// <param name="Timezone">An IANA time zone (<c>Europe/Paris</c>) for best windows and the Results charts; UTC when left out.</param>
/// <param name="Headline">A line about what they do, if any.</param>
/// <param name="Company">Where they work, if any.</param>
public sealed record AddMember(string Id, string Name, bool? Inmail = null, bool? GroupMessages = null, string? Timezone = null, string? Headline = null, string? Company = null) : Command<Member>
{
    /// <inheritdoc/>
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.AddMember(now, Id, new Profile(Name, Headline, Company, Timezone), Inmail ?? true, GroupMessages ?? true);
}

/// <summary>Changes any of a member's Open Profile, InMail and group-message settings (SPEC §6); returns the member.</summary>
/// <param name="Member">The member whose settings change.</param>
/// <param name="OpenProfile">Open Profile on or off (on needs a paid plan); left out, unchanged.</param>
/// <param name="Inmail">Whether the member accepts InMail; left out, unchanged.</param>
/// <param name="GroupMessages">Whether the member accepts group messages; left out, unchanged.</param>
public sealed record ChangeSettings(string Member, bool? OpenProfile = null, bool? Inmail = null, bool? GroupMessages = null) : Command<Member>
{
    /// <inheritdoc/>
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.ChangeSettings(now, Member, OpenProfile, Inmail, GroupMessages);
}

/// <summary>
/// Makes two members 1st-degree connections at once, as an invitation sent and accepted in one step; returns nothing
/// but success.
/// </summary>
/// <param name="A">One member.</param>
/// <param name="B">The other member.</param>
public sealed record Connect(string A, string B) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Connect(now, A, B);
}

/// <summary>Removes the connection between two members; their conversation stays. Returns nothing but success.</summary>
/// <param name="A">One member.</param>
/// <param name="B">The other member.</param>
public sealed record Disconnect(string A, string B) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Disconnect(now, A, B);
}

/// <summary>Sends a connection request, checked in SPEC §6's order; returns the pending invitation.</summary>
/// <param name="From">The member inviting.</param>
/// <param name="To">The member invited.</param>
/// <param name="Note">An optional note, limited by the sender's plan (SPEC §5).</param>
public sealed record Invite(string From, string To, string? Note = null) : Command<Invitation>
{
    /// <inheritdoc/>
    public override Outcome<Invitation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Invite(now, From, To, Note);
}

/// <summary>
/// The invitee accepts a pending connection request and the two become 1st-degree connections; returns nothing but
/// success.
/// </summary>
/// <param name="From">The member who sent the request.</param>
/// <param name="To">The invitee, who accepts.</param>
public sealed record AcceptInvite(string From, string To) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AcceptInvitation(now, From, To);
}

/// <summary>The invitee ignores a pending connection request: it is gone and nothing else changes. Returns nothing but success.</summary>
/// <param name="From">The member who sent the request.</param>
/// <param name="To">The invitee, who ignores it.</param>
public sealed record IgnoreInvite(string From, string To) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.IgnoreInvitation(now, From, To);
}

/// <summary>
/// The sender withdraws a pending connection request and may not invite that member again for the reinvite wait (21
/// days); returns nothing but success.
/// </summary>
/// <param name="From">The member who sent the request and withdraws it.</param>
/// <param name="To">The member it was sent to.</param>
public sealed record WithdrawInvite(string From, string To) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.WithdrawInvitation(now, From, To);
}

/// <summary>
/// Joins a group; returns the group. Scripts name groups by joining them, so the first join of a known member creates
/// it.
/// </summary>
/// <param name="Member">The member joining.</param>
/// <param name="Group">The group's id (and, when the join creates it, its name).</param>
public sealed record JoinGroup(string Member, string Group) : Command<Group>
{
    /// <inheritdoc/>
    public override Outcome<Group> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.State.FindGroup(Group) is null && engine.State.FindMember(Member) is not null)
        {
            var created = engine.CreateGroup(Group, Group);
            if (!created.IsSuccess)
            {
                return created.Refusal;
            }
        }
        return engine.JoinGroup(now, Member, Group);
    }
}

/// <summary>A member leaves a group; returns the group.</summary>
/// <param name="Member">The member leaving.</param>
/// <param name="Group">The group's id.</param>
public sealed record LeaveGroup(string Member, string Group) : Command<Group>
{
    /// <inheritdoc/>
    public override Outcome<Group> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.LeaveGroup(now, Member, Group);
}

/// <summary>
/// A member blocks another: every path closes both ways, and any connection or pending request between them goes.
/// Returns nothing but success.
/// </summary>
/// <param name="Member">The member who blocks.</param>
/// <param name="Blocks">The member blocked.</param>
public sealed record Block(string Member, string Blocks) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Block(now, Member, Blocks);
}

/// <summary>A member lifts a block they made; a connection the block removed does not come back. Returns nothing but success.</summary>
/// <param name="Member">The member who made the block.</param>
/// <param name="Blocks">The member to unblock.</param>
public sealed record Unblock(string Member, string Blocks) : Command<Done>
{
    /// <inheritdoc/>
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unblock(now, Member, Blocks);
}

/// <summary>Starts a member's personal subscription, with its first allowance granted at once; returns the subscription.</summary>
/// <param name="Member">The member subscribing; they must have no plan or seat yet.</param>
/// <param name="Plan">The plan's id in the catalog.</param>
/// <param name="Billing"><c>monthly</c> (when left out) or <c>annual</c>.</param>
public sealed record Subscribe(string Member, string Plan, string? Billing = null) : Command<Subscription>
{
    /// <inheritdoc/>
    public override Outcome<Subscription> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        WithBilling(Billing, b => engine.Subscribe(now, Member, Plan, b));
}

/// <summary>
/// Changes a member's plan at once (SPEC §3): the old plan's allowance is forfeited and the new plan grants now; choosing the
/// plan they are cancelling resumes it instead. Returns the member's subscription after the change, none on the free plan.
/// </summary>
/// <param name="Member">The member changing plan.</param>
/// <param name="Plan">The new plan's id; the free plan ends the subscription.</param>
/// <param name="Billing"><c>monthly</c> (when left out) or <c>annual</c>.</param>
public sealed record ChangePlan(string Member, string Plan, string? Billing = null) : Command<PlanChange>
{
    /// <inheritdoc/>
    public override Outcome<PlanChange> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        WithBilling<PlanChange>(Billing, b => engine.ChangePlan(now, Member, Plan, b) is var changed && changed.IsSuccess
            ? new PlanChange(changed.Value)
            : changed.Refusal);
}

/// <summary>
/// What a <see cref="ChangePlan"/> left the member with: the new subscription (or the one resumed, when they chose the
/// plan they were cancelling), or none when the change was to the free plan and ended the subscription.
/// </summary>
/// <param name="Subscription">The member's subscription after the change; null on the free plan.</param>
public sealed record PlanChange(Subscription? Subscription);

/// <summary>
/// Cancels a member's subscription at the end of what was paid for (the cycle, or the year on annual billing); returns
/// that instant.
/// </summary>
/// <param name="Member">The member cancelling.</param>
public sealed record Cancel(string Member) : Command<DateTimeOffset>
{
    /// <inheritdoc/>
    public override Outcome<DateTimeOffset> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Cancel(now, Member);
}

/// <summary>
/// Creates a team on a team plan, its pool granted at once for the seats held: <see cref="Seats"/> hold a seat at once,
/// <see cref="Offers"/> are offered one to accept. Returns the team.
/// </summary>
/// <param name="Id">The new team's id.</param>
/// <param name="Plan">A team plan's id (<c>sales-navigator-advanced</c> in the default catalog).</param>
/// <param name="Seats">The members given a seat at once, each once; at least one.</param>
/// <param name="Billing"><c>monthly</c> (when left out) or <c>annual</c>.</param>
/// <param name="SeatCap">Most pool credits one seat may spend per team cycle; none when left out.</param>
/// <param name="Admin">The member managing the team, one of <see cref="Seats"/>; the first seat when left out.</param>
/// <param name="Offers">Members offered a seat to accept or decline, none of them in <see cref="Seats"/>.</param>
public sealed record CreateTeam(string Id, string Plan, IReadOnlyList<string> Seats, string? Billing = null, int? SeatCap = null, string? Admin = null,
    IReadOnlyList<string>? Offers = null) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        WithBilling(Billing, b => engine.CreateTeam(now, Id, Plan, b, Seats, SeatCap, Admin, Offers));
}

/// <summary>
/// Gives a member a seat without asking (imports, scripts); the service's members are offered one
/// (<see cref="OfferSeat"/>). Returns the team.
/// </summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The member given the seat.</param>
public sealed record AddSeat(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AddSeat(now, Team, Member);
}

/// <summary>The team's admin offers a member a seat, theirs once they accept; returns the team.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The member offered the seat.</param>
public sealed record OfferSeat(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.OfferSeat(now, Team, Member);
}

/// <summary>A member takes the seat a team offered them; the pool grows at the team's next cycle. Returns the team.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The member accepting their offer.</param>
public sealed record AcceptSeat(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AcceptSeat(now, Team, Member);
}

/// <summary>A member turns down the seat a team offered them; returns the team.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The member declining their offer.</param>
public sealed record DeclineSeat(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeclineSeat(now, Team, Member);
}

/// <summary>A seat holder leaves their team and is on the free plan, their own lots frozen; returns the team.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The seat holder leaving.</param>
public sealed record LeaveTeam(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.LeaveTeam(now, Team, Member);
}

/// <summary>
/// The team's admin takes a member's seat away: the member is on the free plan and their own lots freeze. Returns the
/// team.
/// </summary>
/// <param name="Team">The team's id.</param>
/// <param name="Member">The seat holder losing the seat.</param>
public sealed record RemoveSeat(string Team, string Member) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RemoveSeat(now, Team, Member);
}

/// <summary>Sets, or clears, how many pool credits one seat may spend per team cycle; returns the team.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="SeatCap">The new cap; left out, no cap.</param>
public sealed record SetSeatCap(string Team, int? SeatCap = null) : Command<Team>
{
    /// <inheritdoc/>
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.SetSeatCap(now, Team, SeatCap);
}

/// <summary>
/// Cancels a team plan at the end of its paid period, when the pool is forfeited and the seats go to the free plan;
/// returns that instant.
/// </summary>
/// <param name="Team">The team's id.</param>
public sealed record CancelTeam(string Team) : Command<DateTimeOffset>
{
    /// <inheritdoc/>
    public override Outcome<DateTimeOffset> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelTeam(now, Team);
}

/// <summary>
/// A member on a paid plan buys a credit pack: a purchase lot, usable at once, outside the cap, lasting 12 months.
/// Returns the lot.
/// </summary>
/// <param name="Member">The member buying.</param>
/// <param name="Pack">The pack size in credits: 10, 25, 50 or 100 in the default catalog.</param>
public sealed record Buy(string Member, int Pack) : Command<Lot>
{
    /// <inheritdoc/>
    public override Outcome<Lot> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Buy(now, Member, Pack);
}

/// <summary>An operator grants a member bonus credits (a promotion, a referral): a bonus lot outside the cap. Returns the lot.</summary>
/// <param name="Member">The member receiving the credits.</param>
/// <param name="Credits">How many: 1–100,000.</param>
/// <param name="Days">How many days the lot lives: 1–3,650.</param>
/// <param name="Reason">Why, for the ledger (at most 200 characters); "bonus" when left out.</param>
public sealed record GrantBonus(string Member, int Credits, int Days, string? Reason = null) : Command<Lot>
{
    /// <inheritdoc/>
    public override Outcome<Lot> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.GrantBonus(now, Member, Credits, Days, Reason);
}

/// <summary>
/// Sends a message along the first path that applies (SPEC §4), typed or rendered from a template; <see cref="Id"/>
/// names it (null: the system names it). Returns the message and the quote it went under.
/// </summary>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient.</param>
/// <param name="Subject">The subject typed (required for an InMail, ignored in an open conversation).</param>
/// <param name="Body">The body typed.</param>
/// <param name="Id">The message's id; left out, the system names it <c>msg-N</c>.</param>
/// <param name="Template">One of the sender's templates to render for the recipient instead of typed text.</param>
/// <param name="Attachments">Files the message carries (SPEC §11), already stored by the service.</param>
public sealed record Send(string From, string To, string? Subject = null, string? Body = null, string? Id = null, string? Template = null,
    IReadOnlyList<Attachment>? Attachments = null) : Command<Sent>
{
    /// <inheritdoc/>
    public override Outcome<Sent> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.Send(now, new Draft(From, To, Subject, Body, Template) { Attachments = Attachments }, Id);
}

/// <summary>Saves or replaces one of the member's templates (SPEC §10); returns the template.</summary>
/// <param name="Member">The member whose template it is.</param>
/// <param name="Id">The template's id; an existing id is replaced.</param>
/// <param name="Body">The body, which may hold placeholders such as <c>{{firstName}}</c>.</param>
/// <param name="Subject">The subject, if any; it may hold placeholders too.</param>
public sealed record SaveTemplate(string Member, string Id, string Body, string? Subject = null) : Command<MessageTemplate>
{
    /// <inheritdoc/>
    public override Outcome<MessageTemplate> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.SaveTemplate(now, Member, Id, Subject, Body);
}

/// <summary>
/// Schedules a send (SPEC §10): at <see cref="SendAt"/> (an ISO-8601 instant), or with <see cref="Window"/> "best" in
/// the recipient's best window. Returns the pending scheduled send.
/// </summary>
/// <param name="Id">The scheduled send's id, unique among the sender's.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient.</param>
/// <param name="Subject">The subject typed.</param>
/// <param name="Body">The body typed.</param>
/// <param name="Template">One of the sender's templates, rendered when the send runs.</param>
/// <param name="SendAt">When to send: an ISO-8601 instant with an offset, later than now.</param>
/// <param name="Window"><c>best</c> for the recipient's best window instead of <see cref="SendAt"/>.</param>
public sealed record ScheduleSend(string Id, string From, string To, string? Subject = null, string? Body = null, string? Template = null,
    string? SendAt = null, string? Window = null) : Command<ScheduledSend>
{
    /// <inheritdoc/>
    public override Outcome<ScheduledSend> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        DateTimeOffset? at = null;
        if (SendAt is not null)
        {
            if (Instants.TryParse(SendAt, "sendAt", out var parsed) is { } bad)
            {
                return bad;
            }
            at = parsed;
        }
        if (Window is not (null or "best"))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"window is \"best\" (the recipient's next Tuesday–Thursday 7–8 or 17–18), not '{Window}'.");
        }
        return engine.Schedule(now, Id, new Draft(From, To, Subject, Body, Template), at, Window == "best");
    }
}

/// <summary>Cancels one of the member's pending scheduled sends; returns it, cancelled.</summary>
/// <param name="Member">The member who scheduled it.</param>
/// <param name="Schedule">The scheduled send's id.</param>
public sealed record CancelSchedule(string Member, string Schedule) : Command<ScheduledSend>
{
    /// <inheritdoc/>
    public override Outcome<ScheduledSend> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelSchedule(now, Member, Schedule);
}

/// <summary>
/// Runs a scheduled send that fell due: the service's scheduler logs it (never a script step; scripts run due work by
/// the clock). Returns the scheduled send, sent or refused.
/// </summary>
/// <param name="Owner">The member who scheduled it.</param>
/// <param name="Schedule">The scheduled send's id.</param>
public sealed record RunSchedule(string Owner, string Schedule) : Command<ScheduledSend>
{
    /// <inheritdoc/>
    public override Outcome<ScheduledSend> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RunSchedule(now, Owner, Schedule);
}

/// <summary>
/// Saves a follow-up sequence (SPEC §10): its steps, optional best-window timing (<see cref="Window"/> "best") and
/// credit budget. Returns the sequence.
/// </summary>
/// <param name="Member">The member whose sequence it is.</param>
/// <param name="Id">The sequence's id; an existing sequence without enrolments is replaced.</param>
/// <param name="Steps">1 to 4 steps, each a day and one template or two variants.</param>
/// <param name="Window"><c>best</c> to send each step in the recipient's best window; left out, at its day's instant.</param>
/// <param name="Budget">Most net credits (spent minus refunded) the sequence may take; none when left out.</param>
public sealed record SaveSequence(string Member, string Id, IReadOnlyList<SequenceStepSpec> Steps, string? Window = null, int? Budget = null) : Command<Sequence>
{
    /// <inheritdoc/>
    public override Outcome<Sequence> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Window is not (null or "best")
            ? Refuse.With(RefusalCode.InvalidSequence, $"window is \"best\" (each step in the recipient's next Tuesday–Thursday 7–8 or 17–18), not '{Window}'.")
            : engine.SaveSequence(now, Member, Id, Steps, Window == "best", Budget);
}

/// <summary>
/// Deletes one of the member's sequences with its results (none of its enrolments may be active); returns the sequence
/// deleted.
/// </summary>
/// <param name="Member">The member whose sequence it is.</param>
/// <param name="Id">The sequence's id.</param>
public sealed record DeleteSequence(string Member, string Id) : Command<Sequence>
{
    /// <inheritdoc/>
    public override Outcome<Sequence> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteSequence(now, Member, Id);
}

/// <summary>
/// Enrols <see cref="To"/>, or every one of <see cref="Recipients"/> (all or none), in one of the member's sequences,
/// running step 1 now or in the best window. Returns the new enrolments, in order.
/// </summary>
/// <param name="Member">The member enrolling recipients.</param>
/// <param name="Sequence">The sequence's id.</param>
/// <param name="To">One recipient.</param>
/// <param name="Recipients">A list of recipients (at most 500), instead of <see cref="To"/>.</param>
public sealed record Enroll(string Member, string Sequence, string? To = null, IReadOnlyList<string>? Recipients = null) : Command<IReadOnlyList<Enrollment>>
{
    /// <inheritdoc/>
    public override Outcome<IReadOnlyList<Enrollment>> CarryOut(InMailEngine engine, DateTimeOffset now) => (To, Recipients) switch
    {
        ({ } one, null) => engine.Enroll(now, Member, Sequence, [one]),
        (null, { } many) => engine.Enroll(now, Member, Sequence, many),
        _ => Refuse.With(RefusalCode.InvalidInput, "Give to (one member) or recipients (a list), not both and not neither."),
    };
}

/// <summary>Stops a recipient's active enrolment in one of the member's sequences; returns the enrolment, stopped.</summary>
/// <param name="Member">The member who enrolled the recipient.</param>
/// <param name="Sequence">The sequence's id.</param>
/// <param name="To">The recipient.</param>
public sealed record Unenroll(string Member, string Sequence, string To) : Command<Enrollment>
{
    /// <inheritdoc/>
    public override Outcome<Enrollment> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unenroll(now, Member, Sequence, To);
}

/// <summary>
/// Runs an enrolment's step that fell due: the service's scheduler logs it (never a script step). Returns the enrolment
/// after the step.
/// </summary>
/// <param name="Owner">The member who enrolled the recipient.</param>
/// <param name="Sequence">The sequence's id.</param>
/// <param name="To">The recipient.</param>
public sealed record RunStep(string Owner, string Sequence, string To) : Command<Enrollment>
{
    /// <inheritdoc/>
    public override Outcome<Enrollment> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RunStep(now, Owner, Sequence, To);
}

/// <summary>
/// Puts labels on the member's conversation with <see cref="With"/> and takes others off (SPEC §11); new names make
/// labels. Returns the labels the conversation carries after.
/// </summary>
/// <param name="Member">The member labelling their side of the conversation.</param>
/// <param name="With">The other member of the conversation.</param>
/// <param name="Add">Label names to put on; a new name makes a label.</param>
/// <param name="Remove">Label names to take off.</param>
public sealed record LabelConversation(string Member, string With, IReadOnlyList<string>? Add = null, IReadOnlyList<string>? Remove = null) : Command<IReadOnlyList<InboxLabel>>
{
    /// <inheritdoc/>
    public override Outcome<IReadOnlyList<InboxLabel>> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Label(now, Member, With, Add, Remove);
}

/// <summary>Makes one of the member's inbox labels; returns it.</summary>
/// <param name="Member">The member making the label.</param>
/// <param name="Name">1–30 characters, unique without regard to case.</param>
public sealed record CreateLabel(string Member, string Name) : Command<InboxLabel>
{
    /// <inheritdoc/>
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CreateLabel(now, Member, Name);
}

/// <summary>Renames one of the member's inbox labels; the conversations keep it. Returns the label renamed.</summary>
/// <param name="Member">The member whose label it is.</param>
/// <param name="Name">The label's current name (any case).</param>
/// <param name="To">The new name.</param>
public sealed record RenameLabel(string Member, string Name, string To) : Command<InboxLabel>
{
    /// <inheritdoc/>
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RenameLabel(now, Member, Name, To);
}

/// <summary>Deletes one of the member's inbox labels; it leaves every conversation. Returns the label deleted.</summary>
/// <param name="Member">The member whose label it is.</param>
/// <param name="Name">The label's name (any case).</param>
public sealed record DeleteLabel(string Member, string Name) : Command<InboxLabel>
{
    /// <inheritdoc/>
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteLabel(now, Member, Name);
}

/// <summary>
/// Marks the member's notifications read: all of them, or those up to the id <see cref="UpTo"/>. Returns how many were
/// unread.
/// </summary>
/// <param name="Member">The member reading.</param>
/// <param name="UpTo">The newest notification id to mark; all of them when left out.</param>
public sealed record ReadNotifications(string Member, long? UpTo = null) : Command<int>
{
    /// <inheritdoc/>
    public override Outcome<int> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.ReadNotifications(now, Member, UpTo);
}

/// <summary>
/// Snoozes the member's conversation with <see cref="With"/> until <see cref="Until"/> (an ISO-8601 instant); returns
/// the conversation.
/// </summary>
/// <param name="Member">The member snoozing.</param>
/// <param name="With">The other member of the conversation.</param>
/// <param name="Until">When it comes back: an ISO-8601 instant with an offset, later than now.</param>
public sealed record SnoozeConversation(string Member, string With, string Until) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Instants.TryParse(Until, "until", out var until) is { } bad ? bad : engine.Snooze(now, Member, With, until);
}

/// <summary>Ends the member's snooze of a conversation now, bringing it back on top marked unread; returns the conversation.</summary>
/// <param name="Member">The member who snoozed it.</param>
/// <param name="With">The other member of the conversation.</param>
public sealed record Unsnooze(string Member, string With) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unsnooze(now, Member, With);
}

/// <summary>
/// "Remind me" at <see cref="RemindAt"/> (an ISO-8601 instant), by default only when the other member has not written
/// since; returns the conversation.
/// </summary>
/// <param name="Member">The member to remind.</param>
/// <param name="With">The other member of the conversation.</param>
/// <param name="RemindAt">When: an ISO-8601 instant with an offset, later than now.</param>
/// <param name="UnlessReply">Whether a message from the other member cancels it; true when left out.</param>
public sealed record Remind(string Member, string With, string RemindAt, bool? UnlessReply = null) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Instants.TryParse(RemindAt, "remindAt", out var at) is { } bad ? bad : engine.Remind(now, Member, With, at, UnlessReply ?? true);
}

/// <summary>Cancels the member's pending reminder on a conversation; returns the conversation.</summary>
/// <param name="Member">The member whose reminder it is.</param>
/// <param name="With">The other member of the conversation.</param>
public sealed record CancelReminder(string Member, string With) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelReminder(now, Member, With);
}

/// <summary>
/// Ends a snooze or runs a reminder that fell due: the service's scheduler logs it (never a script step). Returns the
/// conversation.
/// </summary>
/// <param name="Member">The member whose snooze or reminder it is.</param>
/// <param name="With">The other member of the conversation.</param>
/// <param name="Kind"><c>snooze</c> or <c>reminder</c> (<see cref="TimerKinds"/>).</param>
public sealed record RunTimer(string Member, string With, string Kind) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RunTimer(now, Member, With, Kind);
}

/// <summary>The one way commands read an instant a member gives: ISO-8601 with an offset.</summary>
internal static class Instants
{
    public static Refusal? TryParse(string? text, string field, out DateTimeOffset at)
    {
        at = default;
        if (text is null || !System.Text.RegularExpressions.Regex.IsMatch(text, "(Z|[+-][0-9]{2}:[0-9]{2})$")
            || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"{field} is an ISO-8601 instant with an offset, like 2026-03-03T07:30:00Z, not '{text}'.");
        }
        at = parsed.ToUniversalTime();
        return null;
    }
}

/// <summary>Deletes one of the member's templates; returns the template deleted.</summary>
/// <param name="Member">The member whose template it is.</param>
/// <param name="Id">The template's id.</param>
public sealed record DeleteTemplate(string Member, string Id) : Command<MessageTemplate>
{
    /// <inheritdoc/>
    public override Outcome<MessageTemplate> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteTemplate(now, Member, Id);
}

/// <summary>
/// The recipient responds to a message: a reply (to any message), or an accept or decline (InMails only). As their
/// first write in an InMail thread it refunds the sender (SPEC §3). Returns the response, the message answered and the
/// credits refunded.
/// </summary>
/// <param name="Member">The member responding: the message's recipient.</param>
/// <param name="Message">The id of the message responded to.</param>
/// <param name="Kind"><c>reply</c>, <c>accept</c> or <c>decline</c>.</param>
/// <param name="Body">The text: required for a reply, optional with an accept or decline.</param>
/// <param name="Attachments">Files the response carries (SPEC §11).</param>
public sealed record Respond(string Member, string Message, string Kind, string? Body = null, IReadOnlyList<Attachment>? Attachments = null) : Command<Responded>
{
    /// <inheritdoc/>
    public override Outcome<Responded> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return MessagingNames.TryParseResponse(Kind, out var kind)
            ? engine.Respond(now, Member, Message, kind, Body, Attachments)
            : Refuse.With(RefusalCode.InvalidInput, $"A response is reply, accept or decline, not '{Kind}'.");
    }
}

/// <summary>The recipient reports an InMail as spam; enough reports suspend the sender (SPEC §6). Returns the InMail reported.</summary>
/// <param name="Member">The member reporting: the InMail's recipient.</param>
/// <param name="Message">The InMail's id.</param>
public sealed record ReportSpam(string Member, string Message) : Command<Message>
{
    /// <inheritdoc/>
    public override Outcome<Message> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.ReportSpam(now, Member, Message);
}

/// <summary>
/// The sender marks an InMail's outcome (SPEC §9): <c>positive</c>, <c>meeting-booked</c>, or <c>none</c> to clear the
/// mark. Returns the InMail.
/// </summary>
/// <param name="Member">The InMail's sender.</param>
/// <param name="Message">The InMail's id.</param>
/// <param name="Outcome"><c>positive</c>, <c>meeting-booked</c> or <c>none</c>.</param>
public sealed record MarkOutcome(string Member, string Message, string Outcome) : Command<Message>
{
    /// <inheritdoc/>
    public override Outcome<Message> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return MessagingNames.TryParseMark(Outcome, out var mark)
            ? engine.MarkOutcome(Member, Message, mark)
            : Refuse.With(RefusalCode.InvalidInput, $"An outcome is positive, meeting-booked or none, not '{Outcome}'.");
    }
}

/// <summary>
/// Marks every message to the member in their conversation with another as read; returns how many were unread (a
/// conversation marked unread counts one).
/// </summary>
/// <param name="Member">The member reading.</param>
/// <param name="With">The other member of the conversation.</param>
public sealed record MarkRead(string Member, string With) : Command<int>
{
    /// <inheritdoc/>
    public override Outcome<int> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.MarkRead(now, Member, With);
}

/// <summary>
/// Moves the conversation with <see cref="With"/> into the member's archive, or back out with <c>archived: false</c>;
/// returns the conversation.
/// </summary>
/// <param name="Member">The member whose inbox it is.</param>
/// <param name="With">The other member of the conversation.</param>
/// <param name="Archived">True (when left out) to archive, false to bring it back.</param>
public sealed record Archive(string Member, string With, bool? Archived = null) : Command<Conversation>
{
    /// <inheritdoc/>
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.Archive(now, Member, With, Archived ?? true);
}

/// <summary>Replaces a member's profile; fields left out are cleared, except the name, which is required. Returns the member.</summary>
/// <param name="Member">The member whose profile it is.</param>
/// <param name="Name">The name others see.</param>
/// <param name="Headline">A line about what they do; cleared when left out.</param>
/// <param name="Company">Where they work; cleared when left out.</param>
/// <param name="Timezone">An IANA time zone; cleared (UTC) when left out.</param>
public sealed record UpdateProfile(string Member, string Name, string? Headline = null, string? Company = null, string? Timezone = null) : Command<Member>
{
    /// <inheritdoc/>
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.UpdateProfile(Member, new Profile(Name, Headline, Company, Timezone));
}

/// <summary>Creates a group; with <see cref="Member"/>, its creator joins it in the same step. Returns the group.</summary>
/// <param name="Id">The group's id.</param>
/// <param name="Name">The name shown to people.</param>
/// <param name="Member">A member who joins it at once, if any.</param>
public sealed record CreateGroup(string Id, string Name, string? Member = null) : Command<Group>
{
    /// <inheritdoc/>
    public override Outcome<Group> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Member is not null && engine.State.FindMember(Member) is null)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{Member}'.");
        }
        var created = engine.CreateGroup(Id, Name);
        if (!created.IsSuccess || Member is null)
        {
            return created;
        }
        var joined = engine.JoinGroup(now, Member, Id);
        return joined.IsSuccess ? created.Value : joined.Refusal;
    }
}

/// <summary>One field of a command: its JSON name, its type, and whether the command needs it.</summary>
/// <param name="Name">The field's name in JSON (camelCase).</param>
/// <param name="Type">The type the field is read as.</param>
/// <param name="Required">True when the command needs the field; false when it has a default.</param>
public sealed record CommandField(string Name, Type Type, bool Required);

/// <summary>Reads and writes commands as JSON objects with their verb in <c>do</c>.</summary>
public static class CommandJson
{
    /// <summary>
    /// How commands are read and written: camelCase fields, nulls left out, and an unknown field or a missing required one
    /// refused, so a script's typo is an error rather than a default.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Dictionary<Type, string> Verbs = typeof(Command)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>Every verb a command can have.</summary>
    public static IReadOnlyCollection<string> AllVerbs => Verbs.Values;

    /// <summary>Commands the service itself logs (its due-work scheduler), never written in a scenario script.</summary>
    public static IReadOnlyCollection<string> ServiceVerbs { get; } = ["run-schedule", "run-step", "run-timer"];

    internal static string VerbOf(Type type) => Verbs[type];

    /// <summary>
    /// The fields of a verb's command, as its JSON spells them: a field is required when the
    /// record's constructor gives it no default. The script format is checked against these, so
    /// a command's fields are written down once.
    /// </summary>
    public static IReadOnlyList<CommandField> FieldsOf(string verb)
    {
        var type = Verbs.Single(v => v.Value == verb).Key;
        return type.GetConstructors().Single().GetParameters()
            .Select(p => new CommandField(JsonNamingPolicy.CamelCase.ConvertName(p.Name!), p.ParameterType, !p.HasDefaultValue))
            .ToList();
    }

    /// <summary>One command as a JSON object, its verb in <c>do</c>: the form the log stores and a script step uses.</summary>
    public static string Write(Command command) => JsonSerializer.Serialize(command, Options);

    /// <summary>Reads one command; throws <see cref="JsonException"/> saying what is wrong.</summary>
    public static Command Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Command>(json, Options) ?? throw new JsonException("a command is a JSON object, not null");
        }
        catch (NotSupportedException e)
        {
            // Without a known "do" the serializer is asked for the abstract type itself.
            throw new JsonException($"a command needs \"do\", one of: {string.Join(", ", AllVerbs)}", e);
        }
    }
}
