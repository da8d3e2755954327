using System.Text;
using System.Text.Json;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Time;

namespace InMail.Domain.Inspection;

/// <summary>
/// The state as JSON for tooling: every member's plan, credits, lots and ledger, and every team's
/// pool. Members and teams are sorted by id so the output is stable. The replay command prints it,
/// compares it before and after a refusal, and a test-mode server serves it to a replay over HTTP,
/// so both sides of a replay describe their state in exactly the same words.
/// </summary>
public static class StateJson
{
    /// <summary>
    /// The state as of <paramref name="at"/>: every member and team caught up to that instant first
    /// (renewals, expiries, cancellations), so the result does not depend on who was looked at last.
    /// </summary>
    public static string Snapshot(InMailEngine engine, DateTimeOffset at, bool includeActivity = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.CatchUpAll(at);
        return Write(engine, at, includeActivity);
    }

    /// <summary>
    /// The state in memory as of <paramref name="at"/>, without catching everyone up first (each member's credits are
    /// still read as of <paramref name="at"/>): for comparing two states word for word, as storage tests do.
    /// </summary>
    public static string Write(InMailEngine engine, DateTimeOffset at, bool includeActivity = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("at", UtcCalendar.Format(at));
            w.WriteStartArray("members");
            foreach (var member in engine.State.Members.OrderBy(m => m.Id, StringComparer.Ordinal))
            {
                var view = engine.Credits(at, member.Id).Value;
                w.WriteStartObject();
                w.WriteString("id", member.Id);
                w.WriteString("name", member.Profile.Name);
                w.WriteString("plan", view.Plan);
                if (member.TeamId is { } team)
                {
                    w.WriteString("team", team);
                }
                w.WriteNumber("credits", view.Usable);
                w.WriteNumber("frozen", view.Frozen);
                if (includeActivity)
                {
                    w.WriteBoolean("openProfile", member.OpenProfile);
                    w.WriteBoolean("inmail", member.InMailEnabled);
                    w.WriteBoolean("groupMessages", member.GroupMessagesEnabled);
                    w.WriteString("connections", string.Join(",", member.Connections.Order(StringComparer.Ordinal)));
                    w.WriteString("blocked", string.Join(",", member.Blocked.Order(StringComparer.Ordinal)));
                    w.WriteString("groups", string.Join(",", member.Groups.Order(StringComparer.Ordinal)));
                    w.WriteString("restrictedUntil", member.RestrictedUntil is { } r ? UtcCalendar.Format(r) : null);
                    w.WriteString("templates", string.Join("\n", member.Templates.Values.Select(t => $"{t.Id}|{t.Subject}|{t.Body}|{UtcCalendar.Format(t.SavedAt)}")));
                    w.WriteString("schedules", string.Join("\n", member.Schedules.Values.Select(x =>
                        $"{x.Id}|{x.Draft.To}|{x.Draft.Subject}|{x.Draft.Body}|{x.Draft.Template}|{UtcCalendar.Format(x.DueAt)}|{x.Status}|{x.MessageId}|{x.Code}")));
                    w.WriteString("labels", string.Join(",", member.Labels.Select(l => $"{l.Id}:{l.Name}")));
                    w.WriteString("workspace", string.Join(";", engine.State.ConversationsOf(member.Id).OrderBy(c => c.Pair.Other(member.Id), StringComparer.Ordinal)
                        .Select(c => (Other: c.Pair.Other(member.Id), W: c.Workspace(member.Id)))
                        .Where(x => x.W.SnoozedUntil is not null || x.W.Reminder is not null || x.W.BumpedAt is not null || x.W.MarkedUnread)
                        .Select(x => $"{x.Other}:{F(x.W.SnoozedUntil)}:{(x.W.Reminder is { } r ? $"{UtcCalendar.Format(r.At)}/{r.UnlessReply}" : "")}:{F(x.W.BumpedAt)}:{x.W.MarkedUnread}")));
                    w.WriteString("notifications", string.Join("\n", member.Notifications.OrderBy(n => n.At).ThenBy(n => n.Id)
                        .Select(n => $"{n.Kind}|{UtcCalendar.Format(n.At)}|{n.About}|{(n.ReadAt is { } read ? UtcCalendar.Format(read) : "")}")));
                    w.WriteString("labelled", string.Join(";", engine.State.ConversationsOf(member.Id).OrderBy(c => c.Pair.Other(member.Id), StringComparer.Ordinal)
                        .Select(c => (c.Pair.Other(member.Id), InMailEngine.LabelsOn(c, member).ToList())).Where(x => x.Item2.Count > 0)
                        .Select(x => $"{x.Item1}:{string.Join(",", x.Item2.Select(l => l.Id))}")));
                    w.WriteString("sequences", string.Join("\n", member.Sequences.Values.Select(q =>
                        $"{q.Id}|{string.Join(",", q.Steps.Select(st => $"{st.Day}:{string.Join("/", st.Templates)}"))}|{q.BestWindow}|{q.Budget}|" +
                        string.Join(";", q.Enrollments.Select(e => $"{e.To}:{e.Variant}:{e.Status}:{e.StepsSent}:{(e.NextDueAt is { } n ? UtcCalendar.Format(n) : "")}:{e.Reason}:" +
                            string.Join(",", e.Steps.Select(x => $"{x.MessageId}/{x.Charged}/{x.Refunded}/{x.Positive}/{x.ReportedSpam}")))))));
                }
                WriteWallet(w, member.Wallet);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("teams");
            foreach (var team in engine.State.Teams.OrderBy(t => t.Id, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", team.Id);
                w.WriteString("plan", team.Plan.Id);
                w.WriteString("admin", team.Admin);
                w.WriteStartArray("seats");
                foreach (var seat in team.Seats)
                {
                    w.WriteStringValue(seat);
                }
                w.WriteEndArray();
                if (team.Offers.Count > 0)
                {
                    // Written only when there are some, so the states of scripts without offers read as before.
                    w.WriteStartArray("offers");
                    foreach (var offer in team.Offers)
                    {
                        w.WriteStringValue(offer.Member);
                    }
                    w.WriteEndArray();
                }
                if (team.SeatCap is { } cap)
                {
                    w.WriteNumber("seatCap", cap);
                }
                WriteWallet(w, team.Pool);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (includeActivity)
            {
                w.WriteNumber("messages", engine.State.Conversations.Sum(c => c.Messages.Count));
                w.WriteNumber("invitations", engine.State.Invitations.Count);
                w.WriteString("messageStates", string.Join(";", engine.State.Conversations.OrderBy(c => c.Pair.A, StringComparer.Ordinal).ThenBy(c => c.Pair.B, StringComparer.Ordinal).SelectMany(c => c.Messages).Select(MessageState)));
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string MessageState(Message m) =>
        $"{m.Id}:{m.ReadAt?.ToUnixTimeSeconds()}:{m.Response}:{m.RefundedAt?.ToUnixTimeSeconds()}:{m.ReportedSpamAt?.ToUnixTimeSeconds()}:{m.Mark?.ToName()}:{m.Template}"
        // Files by what they are, not by the id the store gave them: a replay over HTTP stores them under ids of its own.
        + string.Concat(m.Attachments.Select(a => $":{a.Name}/{a.Size}/{a.Type}"));

    private static void WriteWallet(Utf8JsonWriter w, Wallet wallet)
    {
        w.WriteStartArray("lots");
        foreach (var lot in wallet.LiveLots.Where(l => l.Remaining > 0))
        {
            w.WriteStartObject();
            w.WriteNumber("id", lot.Id);
            w.WriteString("source", lot.Source.ToName());
            w.WriteNumber("granted", lot.Granted);
            w.WriteNumber("remaining", lot.Remaining);
            w.WriteString("grantedAt", UtcCalendar.Format(lot.GrantedAt));
            w.WriteString("expires", UtcCalendar.Format(lot.Expires));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ledger");
        var balance = 0;
        foreach (var e in wallet.Ledger)
        {
            balance = checked(balance + e.Delta);
            w.WriteStartObject();
            w.WriteNumber("seq", e.Sequence);
            w.WriteString("at", UtcCalendar.Format(e.At));
            w.WriteString("kind", e.Kind.ToName());
            w.WriteNumber("lot", e.LotId);
            w.WriteString("source", e.Source.ToName());
            w.WriteNumber("delta", e.Delta);
            w.WriteNumber("balance", balance);
            if (e.MessageId is not null)
            {
                w.WriteString("message", e.MessageId);
            }
            if (e.Member is not null)
            {
                w.WriteString("member", e.Member);
            }
            if (e.Note is not null)
            {
                w.WriteString("note", e.Note);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static string F(DateTimeOffset? t) => t is { } v ? UtcCalendar.Format(v) : "";
}
