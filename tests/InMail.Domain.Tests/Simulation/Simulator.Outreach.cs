using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;

namespace InMail.Domain.Tests.Simulation;

/// <summary>
/// The simulation's outreach steps (SPEC §10): templates, scheduled sends, sequences and
/// enrolments, and the due work a jump of the clock runs at each instant on the way, as the
/// service's scheduler and the scenario replay do.
/// </summary>
internal sealed partial class Simulator
{
    private static readonly (string Id, string? Subject, string Body)[] Templates =
    [
        ("intro", "Hello {{firstName}}", "{{firstName}}, your work at {{company|your company}} stood out. Open to a chat?"),
        ("intro-b", "A role for you, {{firstName}}?", "{{firstName}}, we are hiring. Could we talk this week?"),
        ("nudge", null, "{{firstName}}, bringing this back up. A short call?"),
        ("strict", "Hi {{firstName}}", "About {{company}}: open to a chat?"), // no fallback: placeholder-unresolved for most
        ("broken", "Hi", "Hello {{nickname}}"), // invalid-template
    ];

    private static readonly SequenceStepSpec[][] StepPatterns =
    [
        [new(0, "intro"), new(3, "nudge"), new(7, "nudge"), new(14, "nudge")],
        [new(0, Variants: ["intro", "intro-b"]), new(2, "nudge")],
        [new(0, "intro-b")],
        [new(0, "strict"), new(1, "nudge")],
        [new(0, "intro"), new(0, "nudge")], // invalid-sequence
        [new(0, "missing")], // unknown-template
    ];

    /// <summary>Members who own templates, schedules or sequences: due work is looked for among them (in a working set, they are loaded first).</summary>
    private readonly SortedSet<string> _outreachOwners = new(StringComparer.Ordinal);

    /// <summary>Conversations due work wrote to during the current step, for the snapshot's rescan.</summary>
    private readonly List<MemberPair> _dueTouched = [];

    private int _nextSchedule;

    private Step SaveTemplate()
    {
        var member = PickSender();
        var (id, subject, body) = Pick(Templates);
        return new Step("template", $"{member} saves template {id}", () =>
        {
            _outreachOwners.Add(member);
            return Result(_engine.SaveTemplate(Now, member, id, subject, body));
        });
    }

    private Step ScheduleSend()
    {
        var (from, to, how) = PickPair();
        var id = Chance(5) && _nextSchedule > 0 ? $"s{_rng.Next(_nextSchedule)}" : $"s{_nextSchedule++}";
        var draft = Chance(40) ? new Draft(from, to, Template: Pick(Templates).Id) : new Draft(from, to, "Scheduled", $"Body {_rng.Next(1000)}");
        var best = Chance(30);
        DateTimeOffset? at = best ? null : _rng.Next(4) switch
        {
            0 => Now.AddMinutes(1 + _rng.Next(59)),
            1 => Now.AddHours(1 + _rng.Next(23)),
            2 => Now.AddDays(1 + _rng.Next(5)),
            _ => Chance(10) ? Now : Now.AddSeconds(1 + _rng.Next(600)),
        };
        return new Step("schedule", $"{from} schedules {id} to {to} ({how}) {(best ? "in the best window" : $"at {F(at)}")}", () =>
        {
            _outreachOwners.Add(from);
            return Result(_engine.Schedule(Now, id, draft, at, best));
        })
        { Touches = [new(from, to)] };
    }

    private Step? CancelSchedule()
    {
        var owners = _outreachOwners.Where(o => M(o).Schedules.Count > 0).ToList();
        if (owners.Count == 0)
        {
            return null;
        }
        var owner = Pick(owners);
        var id = Pick(M(owner).Schedules.Keys.ToList());
        return new Step("cancel-schedule", $"{owner} cancels {id}", () => Result(_engine.CancelSchedule(Now, owner, id)));
    }

    private Step? SaveSequence()
    {
        var owners = _outreachOwners.Where(o => M(o).Templates.Count > 0).ToList();
        if (owners.Count == 0)
        {
            return null;
        }
        var owner = Pick(owners);
        var id = $"q{_rng.Next(4)}";
        var steps = Pick(StepPatterns);
        var best = Chance(30);
        int? budget = Chance(30) ? _rng.Next(4) : null;
        return new Step("sequence", $"{owner} saves sequence {id} ({steps.Length} steps{(best ? ", best window" : "")}{(budget is { } b ? $", budget {b}" : "")})",
            () => Result(_engine.SaveSequence(Now, owner, id, steps, best, budget)));
    }

    private Step? Enroll()
    {
        var owners = _outreachOwners.Where(o => M(o).Sequences.Count > 0).ToList();
        if (owners.Count == 0)
        {
            return null;
        }
        var owner = Pick(owners);
        var sequence = Pick(M(owner).Sequences.Keys.ToList());
        var recipients = Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Chance(3) ? "nobody" : PickMember()).Distinct().ToList();
        return new Step("enroll", $"{owner} enrols {string.Join(',', recipients)} in {sequence}", () => Result(_engine.Enroll(Now, owner, sequence, recipients)))
        { Touches = [.. recipients.Select(r => new MemberPair(owner, r))] };
    }

    private Step? Unenroll()
    {
        var active = _outreachOwners.SelectMany(o => M(o).Sequences.Values).SelectMany(s => s.Enrollments).Where(e => e.Status == EnrollmentStatus.Active).ToList();
        if (active.Count == 0)
        {
            return null;
        }
        var e = Pick(active);
        var (owner, sequence, to) = (e.Owner, e.Sequence.Id, e.To);
        return new Step("unenroll", $"{owner} unenrols {to} from {sequence}", () => Result(_engine.Unenroll(Now, owner, sequence, to)));
    }

    // ---------------------------------------------------------------- the inbox workspace (SPEC §11)

    private const int WorkspacePercent = 6;

    private Random? _workspaceRng;

    private Random _workspace => _workspaceRng ??= new Random(_seed ^ 0x5EED);

    private Step? WorkspaceStep() => _workspace.Next(3) switch
    {
        0 => LabelStep(),
        1 => SnoozeStep(),
        _ => RemindStep(),
    };

    private T WPick<T>(IReadOnlyList<T> items) => items[_workspace.Next(items.Count)];

    private bool WChance(int percent) => _workspace.Next(100) < percent;

    private static readonly string[] LabelNames = ["Hot", "hot", "Later", "Backend", "Shortlist", "  ", "A label far longer than thirty characters"];

    private (string Member, string Other)? PickConversation()
    {
        var member = WPick(_members);
        var conversations = State.ConversationsOf(member);
        return conversations.Count == 0 ? null : (member, WPick(conversations).Pair.Other(member));
    }

    private Step? LabelStep()
    {
        if (PickConversation() is not var (member, other))
        {
            return null;
        }
        IReadOnlyList<string> add = WChance(70) ? [WPick(LabelNames)] : [];
        IReadOnlyList<string> remove = add.Count == 0 || WChance(20) ? [WPick(LabelNames)] : [];
        return new Step("label", $"{member} labels the conversation with {other} +[{string.Join(',', add)}] -[{string.Join(',', remove)}]",
            () => Result(_engine.Label(Now, member, other, add, remove)))
        { Touches = [new(member, other)] };
    }

    private Step? SnoozeStep()
    {
        if (PickConversation() is not var (member, other))
        {
            return null;
        }
        var until = WChance(5) ? Now : Now.AddMinutes(1 + _workspace.Next(3 * 24 * 60));
        return new Step("snooze", $"{member} snoozes the conversation with {other} until {F(until)}", () => Result(_engine.Snooze(Now, member, other, until)))
        { Touches = [new(member, other)] };
    }

    private Step? RemindStep()
    {
        if (PickConversation() is not var (member, other))
        {
            return null;
        }
        var at = Now.AddMinutes(1 + _workspace.Next(3 * 24 * 60));
        var unlessReply = WChance(70);
        return new Step("remind", $"{member} asks to be reminded of {other} at {F(at)}{(unlessReply ? " unless they reply" : "")}",
            () => Result(_engine.Remind(Now, member, other, at, unlessReply)))
        { Touches = [new(member, other)] };
    }

    /// <summary>Runs every piece of due work up to <paramref name="target"/>, each at its own instant, and moves the clock there.</summary>
    private void RunDueWorkUntil(DateTimeOffset target)
    {
        foreach (var owner in _outreachOwners)
        {
            _ = State.FindMember(owner); // a working set loads them, so the engine sees their due work
        }
        if (_source is not null)
        {
            _source.LoadAll(State); // snoozes and reminders live with conversations: the service finds them in a table
        }
        while (_engine.DueWork(target) is { Count: > 0 } due)
        {
            var next = due[0];
            var at = next.At < Now ? Now : next.At;
            Now = at;
            var ran = next.ToCommand().Apply(_engine, at);
            if (!ran.IsSuccess)
            {
                throw new InvalidOperationException($"due work {next} did not run at {F(at)}: {ran.Refusal}");
            }
            _dueTouched.Add(new MemberPair(next.Owner, next.To ?? M(next.Owner).Schedules[next.Id].Draft.To));
            NoteDueMessages(ran.Value);
            var seen = ran.Value switch
            {
                ScheduledSend x => $"schedule-{x.Status.ToName()}",
                Enrollment { Status: EnrollmentStatus.Stopped } e => $"step-stopped {e.Reason}",
                Enrollment { WaitingOn: { } limit } => $"step-waits {limit}",
                Enrollment e => $"step-{e.Status.ToName()}",
                Conversation => $"timer-{next.Id}",
                _ => "due-other",
            };
            _invariants.Seen[seen] = _invariants.Seen.GetValueOrDefault(seen) + 1;
        }
        Now = target;
    }

    /// <summary>Messages due work sent join the ones the simulation answers, reports and marks.</summary>
    private void NoteDueMessages(object ran)
    {
        var id = ran switch
        {
            ScheduledSend { MessageId: { } m } => m,
            Enrollment { Steps.Count: > 0 } e when e.Steps[^1].At == Now => e.Steps[^1].MessageId,
            _ => null,
        };
        if (id is not null && State.FindMessage(id) is { } message)
        {
            _messages.Add(message);
            if (message.IsInMail)
            {
                _inmails.Add(message);
            }
        }
    }
}
