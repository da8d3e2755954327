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

public sealed record AddMember(string Id, string Name, bool? Inmail = null, bool? GroupMessages = null, string? Timezone = null, string? Headline = null, string? Company = null) : Command<Member>
{
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.AddMember(now, Id, new Profile(Name, Headline, Company, Timezone), Inmail ?? true, GroupMessages ?? true);
}

public sealed record ChangeSettings(string Member, bool? OpenProfile = null, bool? Inmail = null, bool? GroupMessages = null) : Command<Member>
{
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.ChangeSettings(now, Member, OpenProfile, Inmail, GroupMessages);
}

public sealed record Connect(string A, string B) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Connect(now, A, B);
}

public sealed record Disconnect(string A, string B) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Disconnect(now, A, B);
}

public sealed record Invite(string From, string To, string? Note = null) : Command<Invitation>
{
    public override Outcome<Invitation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Invite(now, From, To, Note);
}

public sealed record AcceptInvite(string From, string To) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AcceptInvitation(now, From, To);
}

public sealed record IgnoreInvite(string From, string To) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.IgnoreInvitation(now, From, To);
}

public sealed record WithdrawInvite(string From, string To) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.WithdrawInvitation(now, From, To);
}

/// <summary>Joins a group; scripts name groups by joining them, so the first join of a known member creates it.</summary>
public sealed record JoinGroup(string Member, string Group) : Command<Group>
{
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

public sealed record LeaveGroup(string Member, string Group) : Command<Group>
{
    public override Outcome<Group> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.LeaveGroup(now, Member, Group);
}

public sealed record Block(string Member, string Blocks) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Block(now, Member, Blocks);
}

public sealed record Unblock(string Member, string Blocks) : Command<Done>
{
    public override Outcome<Done> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unblock(now, Member, Blocks);
}

public sealed record Subscribe(string Member, string Plan, string? Billing = null) : Command<Subscription>
{
    public override Outcome<Subscription> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        WithBilling(Billing, b => engine.Subscribe(now, Member, Plan, b));
}

/// <summary>Changes plan; on success the value says which subscription the member has now (none on the free plan).</summary>
public sealed record ChangePlan(string Member, string Plan, string? Billing = null) : Command<PlanChange>
{
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

public sealed record Cancel(string Member) : Command<DateTimeOffset>
{
    public override Outcome<DateTimeOffset> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Cancel(now, Member);
}

/// <summary>Creates a team: <see cref="Seats"/> hold a seat at once, <see cref="Offers"/> are offered one to accept.</summary>
public sealed record CreateTeam(string Id, string Plan, IReadOnlyList<string> Seats, string? Billing = null, int? SeatCap = null, string? Admin = null,
    IReadOnlyList<string>? Offers = null) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        WithBilling(Billing, b => engine.CreateTeam(now, Id, Plan, b, Seats, SeatCap, Admin, Offers));
}

/// <summary>Gives a member a seat without asking (imports, scripts); the service's members are offered one (<see cref="OfferSeat"/>).</summary>
public sealed record AddSeat(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AddSeat(now, Team, Member);
}

/// <summary>The team's admin offers a member a seat.</summary>
public sealed record OfferSeat(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.OfferSeat(now, Team, Member);
}

/// <summary>A member takes the seat a team offered them.</summary>
public sealed record AcceptSeat(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.AcceptSeat(now, Team, Member);
}

/// <summary>A member turns down the seat a team offered them.</summary>
public sealed record DeclineSeat(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeclineSeat(now, Team, Member);
}

/// <summary>A seat holder leaves their team.</summary>
public sealed record LeaveTeam(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.LeaveTeam(now, Team, Member);
}

public sealed record RemoveSeat(string Team, string Member) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RemoveSeat(now, Team, Member);
}

public sealed record SetSeatCap(string Team, int? SeatCap = null) : Command<Team>
{
    public override Outcome<Team> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.SetSeatCap(now, Team, SeatCap);
}

/// <summary>Cancels a team plan at the end of its paid period; the value is that instant.</summary>
public sealed record CancelTeam(string Team) : Command<DateTimeOffset>
{
    public override Outcome<DateTimeOffset> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelTeam(now, Team);
}

public sealed record Buy(string Member, int Pack) : Command<Lot>
{
    public override Outcome<Lot> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Buy(now, Member, Pack);
}

public sealed record GrantBonus(string Member, int Credits, int Days, string? Reason = null) : Command<Lot>
{
    public override Outcome<Lot> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.GrantBonus(now, Member, Credits, Days, Reason);
}

/// <summary>Sends a message; <see cref="Id"/> names it (null: the system names it).</summary>
public sealed record Send(string From, string To, string? Subject = null, string? Body = null, string? Id = null, string? Template = null,
    IReadOnlyList<Attachment>? Attachments = null) : Command<Sent>
{
    public override Outcome<Sent> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.Send(now, new Draft(From, To, Subject, Body, Template) { Attachments = Attachments }, Id);
}

/// <summary>Saves or replaces one of the member's templates (SPEC §10).</summary>
public sealed record SaveTemplate(string Member, string Id, string Body, string? Subject = null) : Command<MessageTemplate>
{
    public override Outcome<MessageTemplate> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.SaveTemplate(now, Member, Id, Subject, Body);
}

/// <summary>Schedules a send (SPEC §10): at <see cref="SendAt"/> (an ISO-8601 instant), or with <see cref="Window"/> "best" in the recipient's best window.</summary>
public sealed record ScheduleSend(string Id, string From, string To, string? Subject = null, string? Body = null, string? Template = null,
    string? SendAt = null, string? Window = null) : Command<ScheduledSend>
{
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

/// <summary>Cancels one of the member's pending scheduled sends.</summary>
public sealed record CancelSchedule(string Member, string Schedule) : Command<ScheduledSend>
{
    public override Outcome<ScheduledSend> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelSchedule(now, Member, Schedule);
}

/// <summary>Runs a scheduled send that fell due: the service's scheduler logs it (never a script step; scripts run due work by the clock).</summary>
public sealed record RunSchedule(string Owner, string Schedule) : Command<ScheduledSend>
{
    public override Outcome<ScheduledSend> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RunSchedule(now, Owner, Schedule);
}

/// <summary>Saves a follow-up sequence (SPEC §10): its steps, optional best-window timing (<see cref="Window"/> "best") and credit budget.</summary>
public sealed record SaveSequence(string Member, string Id, IReadOnlyList<SequenceStepSpec> Steps, string? Window = null, int? Budget = null) : Command<Sequence>
{
    public override Outcome<Sequence> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Window is not (null or "best")
            ? Refuse.With(RefusalCode.InvalidSequence, $"window is \"best\" (each step in the recipient's next Tuesday–Thursday 7–8 or 17–18), not '{Window}'.")
            : engine.SaveSequence(now, Member, Id, Steps, Window == "best", Budget);
}

/// <summary>Deletes one of the member's sequences with its results (none of its enrolments may be active).</summary>
public sealed record DeleteSequence(string Member, string Id) : Command<Sequence>
{
    public override Outcome<Sequence> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteSequence(now, Member, Id);
}

/// <summary>Enrols <see cref="To"/>, or every one of <see cref="Recipients"/> (all or none), in one of the member's sequences.</summary>
public sealed record Enroll(string Member, string Sequence, string? To = null, IReadOnlyList<string>? Recipients = null) : Command<IReadOnlyList<Enrollment>>
{
    public override Outcome<IReadOnlyList<Enrollment>> CarryOut(InMailEngine engine, DateTimeOffset now) => (To, Recipients) switch
    {
        ({ } one, null) => engine.Enroll(now, Member, Sequence, [one]),
        (null, { } many) => engine.Enroll(now, Member, Sequence, many),
        _ => Refuse.With(RefusalCode.InvalidInput, "Give to (one member) or recipients (a list), not both and not neither."),
    };
}

/// <summary>Stops a recipient's active enrolment in one of the member's sequences.</summary>
public sealed record Unenroll(string Member, string Sequence, string To) : Command<Enrollment>
{
    public override Outcome<Enrollment> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unenroll(now, Member, Sequence, To);
}

/// <summary>Runs an enrolment's step that fell due: the service's scheduler logs it (never a script step).</summary>
public sealed record RunStep(string Owner, string Sequence, string To) : Command<Enrollment>
{
    public override Outcome<Enrollment> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RunStep(now, Owner, Sequence, To);
}

/// <summary>Puts labels on the member's conversation with <see cref="With"/> and takes others off (SPEC §11); new names make labels.</summary>
public sealed record LabelConversation(string Member, string With, IReadOnlyList<string>? Add = null, IReadOnlyList<string>? Remove = null) : Command<IReadOnlyList<InboxLabel>>
{
    public override Outcome<IReadOnlyList<InboxLabel>> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Label(now, Member, With, Add, Remove);
}

/// <summary>Makes one of the member's inbox labels.</summary>
public sealed record CreateLabel(string Member, string Name) : Command<InboxLabel>
{
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CreateLabel(now, Member, Name);
}

/// <summary>Renames one of the member's inbox labels.</summary>
public sealed record RenameLabel(string Member, string Name, string To) : Command<InboxLabel>
{
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.RenameLabel(now, Member, Name, To);
}

/// <summary>Deletes one of the member's inbox labels; it leaves every conversation.</summary>
public sealed record DeleteLabel(string Member, string Name) : Command<InboxLabel>
{
    public override Outcome<InboxLabel> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteLabel(now, Member, Name);
}

/// <summary>Marks the member's notifications read: all of them, or those up to the id <see cref="UpTo"/>.</summary>
public sealed record ReadNotifications(string Member, int? UpTo = null) : Command<int>
{
    public override Outcome<int> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.ReadNotifications(now, Member, UpTo);
}

/// <summary>Snoozes the member's conversation with <see cref="With"/> until <see cref="Until"/> (an ISO-8601 instant).</summary>
public sealed record SnoozeConversation(string Member, string With, string Until) : Command<Conversation>
{
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Instants.TryParse(Until, "until", out var until) is { } bad ? bad : engine.Snooze(now, Member, With, until);
}

/// <summary>Ends the member's snooze of a conversation now.</summary>
public sealed record Unsnooze(string Member, string With) : Command<Conversation>
{
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.Unsnooze(now, Member, With);
}

/// <summary>"Remind me" at <see cref="RemindAt"/> (an ISO-8601 instant), by default only when the other member has not written since.</summary>
public sealed record Remind(string Member, string With, string RemindAt, bool? UnlessReply = null) : Command<Conversation>
{
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        Instants.TryParse(RemindAt, "remindAt", out var at) is { } bad ? bad : engine.Remind(now, Member, With, at, UnlessReply ?? true);
}

/// <summary>Cancels the member's pending reminder on a conversation.</summary>
public sealed record CancelReminder(string Member, string With) : Command<Conversation>
{
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.CancelReminder(now, Member, With);
}

/// <summary>Ends a snooze or runs a reminder that fell due: the service's scheduler logs it (never a script step).</summary>
public sealed record RunTimer(string Member, string With, string Kind) : Command<Conversation>
{
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

/// <summary>Deletes one of the member's templates.</summary>
public sealed record DeleteTemplate(string Member, string Id) : Command<MessageTemplate>
{
    public override Outcome<MessageTemplate> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.DeleteTemplate(now, Member, Id);
}

public sealed record Respond(string Member, string Message, string Kind, string? Body = null, IReadOnlyList<Attachment>? Attachments = null) : Command<Responded>
{
    public override Outcome<Responded> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return MessagingNames.TryParseResponse(Kind, out var kind)
            ? engine.Respond(now, Member, Message, kind, Body, Attachments)
            : Refuse.With(RefusalCode.InvalidInput, $"A response is reply, accept or decline, not '{Kind}'.");
    }
}

public sealed record ReportSpam(string Member, string Message) : Command<Message>
{
    public override Outcome<Message> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.ReportSpam(now, Member, Message);
}

/// <summary>The sender marks an InMail's outcome (SPEC §9): <c>positive</c>, <c>meeting-booked</c>, or <c>none</c> to clear the mark.</summary>
public sealed record MarkOutcome(string Member, string Message, string Outcome) : Command<Message>
{
    public override Outcome<Message> CarryOut(InMailEngine engine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return MessagingNames.TryParseMark(Outcome, out var mark)
            ? engine.MarkOutcome(Member, Message, mark)
            : Refuse.With(RefusalCode.InvalidInput, $"An outcome is positive, meeting-booked or none, not '{Outcome}'.");
    }
}

public sealed record MarkRead(string Member, string With) : Command<int>
{
    public override Outcome<int> CarryOut(InMailEngine engine, DateTimeOffset now) => engine.MarkRead(now, Member, With);
}

/// <summary>Moves the conversation with <see cref="With"/> into the member's archive, or back out with <c>archived: false</c>.</summary>
public sealed record Archive(string Member, string With, bool? Archived = null) : Command<Conversation>
{
    public override Outcome<Conversation> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.Archive(now, Member, With, Archived ?? true);
}

/// <summary>Replaces a member's profile; fields left out are cleared, except the name, which is required.</summary>
public sealed record UpdateProfile(string Member, string Name, string? Headline = null, string? Company = null, string? Timezone = null) : Command<Member>
{
    public override Outcome<Member> CarryOut(InMailEngine engine, DateTimeOffset now) =>
        engine.UpdateProfile(Member, new Profile(Name, Headline, Company, Timezone));
}

/// <summary>Creates a group; with <see cref="Member"/>, its creator joins it in the same step.</summary>
public sealed record CreateGroup(string Id, string Name, string? Member = null) : Command<Group>
{
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
public sealed record CommandField(string Name, Type Type, bool Required);

/// <summary>Reads and writes commands as JSON objects with their verb in <c>do</c>.</summary>
public static class CommandJson
{
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
