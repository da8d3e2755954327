using System.Globalization;
using System.Text.Json;
using InMail.Domain.Time;

namespace InMail.Cli.Replay;

/// <summary>How one checked step went.</summary>
public sealed record CheckLine(int Line, bool Held, string Text);

/// <summary>The outcome of one script.</summary>
public sealed record ReplayReport(IReadOnlyList<CheckLine> Checks)
{
    public int Held => Checks.Count(c => c.Held);
    public int Failed => Checks.Count(c => !c.Held);
}

/// <summary>
/// Runs a parsed script against a target and checks every expectation: refusal codes (and that a
/// refusal changed nothing), paths and costs, and members' credits, frozen credits and lots. A step
/// with no expectation must simply succeed; if it is refused, that is a failed check too.
/// </summary>
public sealed class ReplayRunner(IScenarioTarget target)
{
    public async Task<ReplayReport> RunAsync(IReadOnlyList<Step> steps, Action<CheckLine>? onCheck = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var checks = new List<CheckLine>();
        void Record(Step step, bool held, string text)
        {
            var line = new CheckLine(step.Line, held, $"{step.Describe()}: {text}");
            checks.Add(line);
            onCheck?.Invoke(line);
        }

        foreach (var step in steps)
        {
            // SPEC §10: due work runs at its own instant, before anything else at it.
            await target.RunDueAsync(step.At, cancellationToken).ConfigureAwait(false);
            if (step.Verb == "expect")
            {
                await ExpectAsync(step, Record, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var expected = step.ExpectedRefusal;
            var before = expected is null ? null : await target.FingerprintAsync(step.At, cancellationToken).ConfigureAwait(false);
            var result = await target.RunAsync(step, cancellationToken).ConfigureAwait(false);
            if (expected is not null)
            {
                if (result.Refusal != expected)
                {
                    Record(step, false, result.Refusal is null
                        ? $"expected refusal {expected}, but it was carried out"
                        : $"expected refusal {expected}, actual {result.Refusal} ({result.Message})");
                    continue;
                }
                var after = await target.FingerprintAsync(step.At, cancellationToken).ConfigureAwait(false);
                Record(step, before == after, before == after ? $"refused {expected}" : $"refused {expected}, but the refusal changed the state");
                continue;
            }
            if (result.Refusal is not null)
            {
                Record(step, false, $"expected success, actual refusal {result.Refusal} ({result.Message})");
                continue;
            }
            if (step.Verb == "coach" && step.Fields.TryGetValue("findings", out var findings))
            {
                var want = findings.EnumerateArray().Select(f => f.GetString()!).ToList();
                var got = result.Findings ?? [];
                var same = want.SequenceEqual(got, StringComparer.Ordinal);
                Record(step, same, same ? $"findings [{string.Join(", ", got)}]" : $"findings expected [{string.Join(", ", want)}], actual [{string.Join(", ", got)}]");
                continue;
            }
            var wantPath = step.Text("path");
            var wantCost = step.Number("cost");
            if (wantPath is null && wantCost is null)
            {
                continue;
            }
            var problems = new List<string>();
            if (wantPath is not null && wantPath != result.Path)
            {
                problems.Add($"path expected {wantPath}, actual {result.Path}");
            }
            if (wantCost is { } c && c != result.Cost)
            {
                problems.Add($"cost expected {c}, actual {result.Cost}");
            }
            Record(step, problems.Count == 0, problems.Count == 0 ? $"path {result.Path}, cost {result.Cost}" : string.Join("; ", problems));
        }
        return new ReplayReport(checks);
    }

    private async Task ExpectAsync(Step step, Action<Step, bool, string> record, CancellationToken cancellationToken)
    {
        var member = step.Require("member");
        var actual = await target.InspectAsync(step.At, member, cancellationToken).ConfigureAwait(false);
        if (actual is null)
        {
            record(step, false, $"there is no member '{member}'");
            return;
        }
        var problems = new List<string>();
        var seen = new List<string>();
        if (step.Number("credits") is { } credits)
        {
            (credits == actual.Credits ? seen : problems).Add(credits == actual.Credits ? $"credits {credits}" : $"credits expected {credits}, actual {actual.Credits}");
        }
        if (step.Number("frozen") is { } frozen)
        {
            (frozen == actual.Frozen ? seen : problems).Add(frozen == actual.Frozen ? $"frozen {frozen}" : $"frozen expected {frozen}, actual {actual.Frozen}");
        }
        if (step.Fields.TryGetValue("lots", out var lotsElement))
        {
            var expected = lotsElement.EnumerateArray().Select(ToLot).ToList();
            var same = expected.Count == actual.Lots.Count && expected.Zip(actual.Lots).All(p => p.First == p.Second);
            (same ? seen : problems).Add(same ? $"lots [{Lots(expected)}]" : $"lots expected [{Lots(expected)}], actual [{Lots(actual.Lots)}]");
        }
        if (step.Fields.TryGetValue("schedule", out var scheduleElement))
        {
            var id = scheduleElement.GetProperty("id").GetString()!;
            var want = new ScheduleCheck(scheduleElement.GetProperty("status").GetString()!,
                scheduleElement.TryGetProperty("code", out var code) ? code.GetString() : null,
                scheduleElement.TryGetProperty("message", out var message) ? message.GetString() : null);
            var got = await target.InspectScheduleAsync(step.At, member, id, cancellationToken).ConfigureAwait(false);
            var same = got is not null && got.Status == want.Status && (want.Code is null ? got.Code is null : want.Code == got.Code)
                && (want.Message is null || want.Message == got.Message);
            var shown = got is null ? "none" : $"{got.Status}{(got.Code is { } c ? " " + c : "")}{(got.Message is { } m ? " " + m : "")}";
            (same ? seen : problems).Add(same ? $"schedule {id} {shown}" : $"schedule {id} expected {want.Status}{(want.Code is { } wc ? " " + wc : "")}, actual {shown}");
        }
        if (step.Fields.TryGetValue("enrollment", out var enrollmentElement))
        {
            string? Opt(string name) => enrollmentElement.TryGetProperty(name, out var v) ? v.GetString() : null;
            var sequence = enrollmentElement.GetProperty("sequence").GetString()!;
            var to = enrollmentElement.GetProperty("to").GetString()!;
            var want = new EnrollmentCheck(enrollmentElement.GetProperty("status").GetString()!, enrollmentElement.GetProperty("step").GetInt32(), Opt("reason"), Opt("variant"));
            var got = await target.InspectEnrollmentAsync(step.At, member, sequence, to, cancellationToken).ConfigureAwait(false);
            var same = got is not null && got.Status == want.Status && got.Step == want.Step
                && (want.Reason is null || want.Reason == got.Reason) && (want.Variant is null || want.Variant == got.Variant);
            static string Show(EnrollmentCheck? e) => e is null ? "none"
                : $"{e.Status} after step {e.Step}{(e.Reason is { } r ? " (" + r + ")" : "")}{(e.Variant is { } v ? " variant " + v : "")}";
            (same ? seen : problems).Add(same ? $"enrollment {sequence}/{to} {Show(got)}" : $"enrollment {sequence}/{to} expected {Show(want)}, actual {Show(got)}");
        }
        if (step.Fields.TryGetValue("notifications", out var notificationsElement))
        {
            var want = notificationsElement.EnumerateArray()
                .Select(n => (n.GetProperty("kind").GetString()!, DateTimeOffset.Parse(n.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)))
                .ToList();
            var got = await target.InspectNotificationsAsync(step.At, member, cancellationToken).ConfigureAwait(false) ?? [];
            static string Show(IEnumerable<(string Kind, DateTimeOffset At)> list) => string.Join(", ", list.Select(n => $"{n.Kind} {UtcCalendar.Format(n.At)}"));
            var same = want.SequenceEqual(got);
            (same ? seen : problems).Add(same ? $"notifications [{Show(got)}]" : $"notifications expected [{Show(want)}], actual [{Show(got)}]");
        }
        if (step.Fields.TryGetValue("inbox", out var inboxElement))
        {
            var label = step.Fields.TryGetValue("label", out var l) ? l.GetString() : null;
            var want = inboxElement.EnumerateArray().Select(x => x.GetString()!).ToList();
            var got = await target.InspectInboxAsync(step.At, member, label, cancellationToken).ConfigureAwait(false) ?? [];
            var shown = $"inbox{(label is null ? "" : $" [{label}]")}";
            var same = want.SequenceEqual(got, StringComparer.Ordinal);
            (same ? seen : problems).Add(same ? $"{shown} {string.Join(",", got)}" : $"{shown} expected {string.Join(",", want)}, actual {string.Join(",", got)}");
        }
        record(step, problems.Count == 0, problems.Count == 0 ? string.Join(", ", seen) : string.Join("; ", problems));
    }

    private static LotView ToLot(JsonElement e) => new(
        e.GetProperty("source").GetString()!,
        e.GetProperty("remaining").GetInt32(),
        DateTimeOffset.Parse(e.GetProperty("expires").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    private static string Lots(IEnumerable<LotView> lots) =>
        string.Join(", ", lots.Select(l => $"{l.Source} {l.Remaining} until {UtcCalendar.Format(l.Expires)}"));
}
