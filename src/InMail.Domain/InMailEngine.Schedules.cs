using InMail.Domain.Content;
using InMail.Domain.Outreach;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>
    /// Schedules a send (SPEC §10) for <paramref name="sendAt"/> (later than now) or, with
    /// <paramref name="bestWindow"/>, for the recipient's next best window. Checks now what a send
    /// checks first (the members, the template, the content for the path it would take now); the
    /// rest is decided when it falls due. Work due at the current instant runs at once.
    /// </summary>
    public Outcome<ScheduledSend> Schedule(DateTimeOffset now, string id, Draft draft, DateTimeOffset? sendAt, bool bestWindow)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!Identifiers.IsValid(id))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("schedule id"));
        }
        if (sendAt.HasValue == bestWindow)
        {
            return Refuse.With(RefusalCode.InvalidInput, "Give either sendAt (an instant) or window \"best\", not both and not neither.");
        }
        if (sendAt is { } at && at <= now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"sendAt must be later than now ({Time.UtcCalendar.Format(now)}).");
        }
        var rendered = Render(draft);
        if (!rendered.IsSuccess)
        {
            return rendered.Refusal;
        }
        var s = State.LoadedMember(draft.From);
        var r = State.LoadedMember(draft.To);
        if (s.Schedules.ContainsKey(id))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"You already have a scheduled send '{id}'.");
        }
        var request = rendered.Value.Request;
        if (TextRules.Check(ContentLimits.KindOf(PathOf(now, s, r)), request.Subject, request.Body, Policy) is { } bad)
        {
            return bad;
        }
        if (s.PendingSchedules >= Policy.PendingSchedulesPerMember)
        {
            return Refuse.With(RefusalCode.ScheduleLimitReached, $"You have {Policy.PendingSchedulesPerMember} scheduled sends waiting, the most there can be; cancel one or wait for one to go.");
        }
        var due = sendAt ?? BestWindow.Next(now, r.Profile.TimeZone);
        var schedule = new ScheduledSend(id, s.Id, draft with { From = s.Id, To = r.Id }, due, now, bestWindow);
        s.AddSchedule(schedule);
        if (due <= now)
        {
            Run(now, schedule);
        }
        return schedule;
    }

    /// <summary>Cancels one of the member's pending scheduled sends.</summary>
    public Outcome<ScheduledSend> CancelSchedule(DateTimeOffset now, string member, string id)
    {
        var found = FindSchedule(member, id);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var schedule = found.Value;
        if (schedule.Status != ScheduleStatus.Pending)
        {
            return Refuse.With(RefusalCode.ScheduleNotPending, $"The scheduled send '{id}' already {schedule.Status.ToName()}; only a pending one can be cancelled.");
        }
        schedule.Cancel(now);
        return schedule;
    }

    /// <summary>
    /// Runs a scheduled send that has fallen due, exactly as a send made now would run: it records
    /// the message, or the refusal (nothing charged). Never early; once only (<c>schedule-not-pending</c>
    /// after it ran, so two servers asking at once run it once).
    /// </summary>
    public Outcome<ScheduledSend> RunSchedule(DateTimeOffset now, string owner, string id)
    {
        var found = FindSchedule(owner, id);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var schedule = found.Value;
        if (schedule.Status != ScheduleStatus.Pending)
        {
            return Refuse.With(RefusalCode.ScheduleNotPending, $"The scheduled send '{id}' already {schedule.Status.ToName()}.");
        }
        if (schedule.DueAt > now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"The scheduled send '{id}' is due at {Time.UtcCalendar.Format(schedule.DueAt)}, not yet.");
        }
        Run(now, schedule);
        return schedule;
    }

    /// <summary>The pending scheduled sends of the members in memory that are due by <paramref name="upTo"/>, in the order they run: due instant, then creation.</summary>
    public IReadOnlyList<ScheduledSend> DueSchedules(DateTimeOffset upTo) =>
        State.Members.SelectMany(m => m.Schedules.Values)
            .Where(s => s.Status == ScheduleStatus.Pending && s.DueAt <= upTo)
            .OrderBy(s => s.DueAt).ThenBy(s => s.CreatedAt).ThenBy(s => s.Owner, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Every piece of due work of the members in memory by <paramref name="upTo"/>, scheduled sends
    /// and sequence steps together, in the order it runs (<see cref="Commands.DueWorkItem.Order"/>).
    /// </summary>
    public IReadOnlyList<Commands.DueWorkItem> DueWork(DateTimeOffset upTo)
    {
        var items = DueSchedules(upTo).Select(s => new Commands.DueWorkItem(s.DueAt, s.CreatedAt, s.Owner, s.Id, null, Commands.DueWorkKind.Schedule))
            .Concat(DueSteps(upTo).Select(e => new Commands.DueWorkItem(e.NextDueAt!.Value, e.EnrolledAt, e.Owner, e.Sequence.Id, e.To, Commands.DueWorkKind.Step)))
            .Concat(DueTimers(upTo))
            .ToList();
        items.Sort(Commands.DueWorkItem.Order);
        return items;
    }

    private void Run(DateTimeOffset now, ScheduledSend schedule)
    {
        var sent = Send(now, schedule.Draft);
        if (sent.IsSuccess)
        {
            schedule.Sent(now, sent.Value.Message.Id);
        }
        else
        {
            schedule.Refused(now, sent.Refusal);
            var to = State.FindMember(schedule.Draft.To)?.Profile.Name ?? schedule.Draft.To;
            Notify(State.LoadedMember(schedule.Owner), Messaging.NotificationKinds.ScheduleRefused, now, schedule.Id,
                $"Your scheduled send '{schedule.Id}' to {to} did not go ({sent.Refusal.CodeText}): {sent.Refusal.Message}");
        }
    }

    private Outcome<ScheduledSend> FindSchedule(string member, string id)
    {
        if (State.FindMember(member) is not { } m)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{member}'.");
        }
        return m.Schedules.TryGetValue(id ?? "", out var schedule)
            ? schedule
            : Refuse.With(RefusalCode.UnknownSchedule, $"You have no scheduled send '{id}'.");
    }
}
