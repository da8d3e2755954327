using System.Globalization;
using System.Text.Json;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain.WorkingSet;

/// <summary>
/// Each aggregate of the working set as a JSON document, and back (decision 007). A document holds
/// everything the rules read of its aggregate, exactly: reading what was written gives an aggregate
/// the engine cannot tell from the one that stayed in memory (the simulation checks this by
/// evicting everything after every step).
/// <para>
/// Instants in UTC, which is every instant the clock gives, are written as a JSON number: 100-nanosecond ticks since
/// 1970-01-01 UTC, exact, 17 digits where the "O" text took 35 characters and a formatter's time. An instant with another
/// offset keeps the "O" text, so the offset comes back too. Both forms are read, so documents written before numbers
/// load as they are and are rewritten in the short form the next time their aggregate changes. A member's document is
/// rewritten on every send of theirs and grows with the rolling windows, the active inbox and the InMails awaiting an
/// answer, so those lists are written short too: an inbox entry is [instant, the other member], a watched refund is
/// [instant, message, recipient] (bench/README.md, "Where the writer's time goes").
/// </para>
/// </summary>
public static class AggregateCodec
{
    // Documents never reach a page: only quotes, backslashes and control characters are escaped, so an instant's "+" and
    // a name's accents take one byte or two, not six (\u002B).
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---------------------------------------------------------------- writing

    /// <summary>The document of <paramref name="key"/>'s aggregate as it is in memory, or null when it is not in memory.</summary>
    public static byte[]? Write(InMailState state, AggregateKey key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return key.Kind switch
        {
            AggregateKind.Member => state.MemberIndex.TryGetValue(key.Id, out var m) ? WriteMember(state, m) : null,
            AggregateKind.Team => state.TeamIndex.TryGetValue(key.Id, out var t) ? WriteTeam(t) : null,
            AggregateKind.Group => state.GroupIndex.TryGetValue(key.Id, out var g) ? WriteGroup(g) : null,
            AggregateKind.Conversation => state.ConversationIndex.TryGetValue(key.Pair, out var c) ? WriteConversation(c) : null,
            // Through Ids, which loads the stored counter first: a state that never named a message must not write 0 over it.
            AggregateKind.Globals => Document(w => w.WriteNumber("msg", state.Ids.LastMessage)),
            AggregateKind.Notifications => state.MemberIndex.TryGetValue(key.Id, out var n) && n.NotificationsInMemory ? WriteNotifications(n) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "unknown aggregate kind"),
        };
    }

    /// <summary>The keys of every aggregate in memory (and the globals).</summary>
    public static IEnumerable<AggregateKey> LoadedKeys(InMailState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (id, member) in state.MemberIndex)
        {
            yield return AggregateKey.ForMember(id);
            if (member.NotificationsInMemory && member.NextNotificationId > 1)
            {
                yield return AggregateKey.ForNotifications(id);
            }
        }
        foreach (var id in state.TeamIndex.Keys)
        {
            yield return AggregateKey.ForTeam(id);
        }
        foreach (var id in state.GroupIndex.Keys)
        {
            yield return AggregateKey.ForGroup(id);
        }
        foreach (var pair in state.ConversationIndex.Keys)
        {
            yield return AggregateKey.ForConversation(pair);
        }
        yield return AggregateKey.Globals;
    }

    /// <summary>A member's notifications, oldest first: their own document, written only when they change.</summary>
    private static byte[] WriteNotifications(Member m) => Document(w =>
    {
        w.WriteStartArray("notifications");
        foreach (var n in m.Notifications)
        {
            w.WriteStartObject();
            w.WriteNumber("id", n.Id);
            w.WriteString("kind", n.Kind);
            Instant(w, "at", n.At);
            Text(w, "about", n.About);
            w.WriteString("text", n.Text);
            Instant(w, "read", n.ReadAt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static byte[] Document(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WriteMember(InMailState state, Member m) => Document(w =>
    {
        w.WriteString("id", m.Id);
        w.WriteString("name", m.Profile.Name);
        Text(w, "headline", m.Profile.Headline);
        Text(w, "company", m.Profile.Company);
        Text(w, "tz", m.Profile.TimeZone);
        Instant(w, "joined", m.JoinedAt);
        w.WriteBoolean("open", m.OpenProfile);
        w.WriteBoolean("inmail", m.InMailEnabled);
        w.WriteBoolean("groupMessages", m.GroupMessagesEnabled);
        Text(w, "team", m.TeamId);
        Instant(w, "restricted", m.RestrictedUntil);
        if (m.Subscription is { } s)
        {
            w.WritePropertyName("sub");
            WriteSubscription(w, s);
        }
        Strings(w, "connections", m.Connections);
        Strings(w, "blocked", m.Blocked);
        Strings(w, "groups", m.Groups);
        Instants(w, "inmailsSent", m.InMailsSent.Instants);
        Instants(w, "inmailsReceived", m.InMailsReceived.Instants);
        Instants(w, "invitationsSent", m.InvitationsSent.Instants);
        Instants(w, "spamReports", m.SpamReports.Instants);
        Counter(w, "groupMessagesSent", m.GroupMessagesSent);
        Counter(w, "notes", m.NotesSent);
        if (m.Templates.Count > 0)
        {
            w.WriteStartArray("templates");
            foreach (var t in m.Templates.Values)
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id);
                Text(w, "subject", t.Subject);
                w.WriteString("body", t.Body);
                Instant(w, "saved", t.SavedAt);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (m.Schedules.Count > 0)
        {
            w.WriteStartArray("schedules");
            foreach (var sc in m.Schedules.Values)
            {
                w.WriteStartObject();
                w.WriteString("id", sc.Id);
                w.WriteString("to", sc.Draft.To);
                Text(w, "subject", sc.Draft.Subject);
                Text(w, "body", sc.Draft.Body);
                Text(w, "template", sc.Draft.Template);
                Instant(w, "due", sc.DueAt);
                Instant(w, "created", sc.CreatedAt);
                w.WriteBoolean("best", sc.BestWindow);
                w.WriteString("status", Outreach.ScheduleNames.ToName(sc.Status));
                Instant(w, "ended", sc.EndedAt);
                Text(w, "message", sc.MessageId);
                Text(w, "code", sc.Code);
                Text(w, "reason", sc.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (m.NextNotificationId > 1 || m.ExpiryWarnedUpTo is not null || m.RefundWatch.Count > 0)
        {
            // The notifications themselves are a document of their own (AggregateKind.Notifications).
            w.WriteNumber("nextNotification", m.NextNotificationId);
            Instant(w, "warnedUpTo", m.ExpiryWarnedUpTo);
            w.WriteStartArray("refundWatch");
            foreach (var (warnAt, message, to) in m.RefundWatch)
            {
                w.WriteStartArray();
                InstantValue(w, warnAt);
                w.WriteStringValue(message);
                w.WriteStringValue(to);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        if (m.Labels.Count > 0 || m.NextLabelId > 1)
        {
            w.WriteNumber("nextLabel", m.NextLabelId);
            w.WriteStartArray("labels");
            foreach (var l in m.Labels)
            {
                w.WriteStartObject();
                w.WriteNumber("id", l.Id);
                w.WriteString("name", l.Name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (m.Sequences.Count > 0)
        {
            w.WriteStartArray("sequences");
            foreach (var sq in m.Sequences.Values)
            {
                WriteSequence(w, sq);
            }
            w.WriteEndArray();
        }
        w.WritePropertyName("wallet");
        WriteWallet(w, m.Wallet);
        w.WriteStartArray("inbox");
        if (state.ActiveInboxes.TryGetValue(m.Id, out var inbox))
        {
            foreach (var (activity, pair) in inbox.Entries)
            {
                w.WriteStartArray();
                InstantValue(w, activity);
                w.WriteStringValue(pair.Other(m.Id));
                w.WriteEndArray();
            }
        }
        w.WriteEndArray();
        // The latest conversations only (issue 9): the rest are rows of the source's conversations, found when asked for.
        var pairs = state.ListedConversationPairs(m.Id);
        var kept = Math.Min(pairs.Count, Math.Max(0, state.ConversationsInMemberDocument));
        w.WriteStartArray("conversations");
        for (var i = pairs.Count - kept; i < pairs.Count; i++)
        {
            w.WriteStringValue(pairs[i].Other(m.Id));
        }
        w.WriteEndArray();
        if (kept < pairs.Count || state.IsPartlyListed(m.Id))
        {
            w.WriteBoolean("moreConversations", true);
        }
        w.WriteStartArray("invitations");
        foreach (var (_, i) in state.InvitationIndex.From(m.Id))
        {
            w.WriteStartObject();
            w.WriteString("to", i.To);
            Text(w, "note", i.Note);
            Instant(w, "at", i.SentAt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("withdrawals");
        foreach (var (to, at) in state.Withdrawals.From(m.Id))
        {
            w.WriteStartObject();
            w.WriteString("to", to);
            Instant(w, "at", at);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static byte[] WriteTeam(Team t) => Document(w =>
    {
        w.WriteString("id", t.Id);
        w.WriteString("admin", t.Admin);
        w.WritePropertyName("sub");
        WriteSubscription(w, t.Subscription);
        Strings(w, "seats", t.Seats);
        if (t.SeatCap is { } cap)
        {
            w.WriteNumber("seatCap", cap);
        }
        w.WriteNumber("usageCycle", t.UsageCycle);
        w.WriteStartObject("poolSpend");
        foreach (var (member, count) in t.PoolSpendThisCycle)
        {
            w.WriteNumber(member, count);
        }
        w.WriteEndObject();
        Instant(w, "ended", t.EndedAt);
        w.WriteStartArray("offers");
        foreach (var offer in t.Offers)
        {
            w.WriteStartObject();
            w.WriteString("member", offer.Member);
            Instant(w, "at", offer.OfferedAt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("pool");
        WriteWallet(w, t.Pool);
    });

    private static byte[] WriteGroup(Group g) => Document(w =>
    {
        w.WriteString("id", g.Id);
        w.WriteString("name", g.Name);
        Strings(w, "members", g.Members);
    });

    private static byte[] WriteConversation(Conversation c) => Document(w =>
    {
        w.WriteString("a", c.Pair.A);
        w.WriteString("b", c.Pair.B);
        Instant(w, "activity", c.LastActivityAt);
        Side(w, "sideA", c.SideState(c.Pair.A), c.Workspace(c.Pair.A));
        Side(w, "sideB", c.SideState(c.Pair.B), c.Workspace(c.Pair.B));
        w.WriteStartArray("messages");
        foreach (var m in c.Messages)
        {
            w.WriteStartObject();
            w.WriteString("id", m.Id);
            w.WriteString("from", m.From);
            w.WriteString("path", m.Path.ToString());
            Text(w, "subject", m.Subject);
            w.WriteString("body", m.Body);
            Instant(w, "sent", m.SentAt);
            if (m.Charge is { } charge)
            {
                w.WriteStartObject("charge");
                w.WriteString("owner", charge.Wallet.Owner.ToString());
                w.WriteString("wallet", charge.Wallet.Id);
                w.WriteNumber("lot", charge.LotId);
                Instant(w, "at", charge.SpentAt);
                w.WriteEndObject();
            }
            Enum(w, "respondsWith", m.RespondsWith);
            Instant(w, "read", m.ReadAt);
            Enum(w, "response", m.Response);
            Instant(w, "responded", m.RespondedAt);
            Instant(w, "refunded", m.RefundedAt);
            Instant(w, "reported", m.ReportedSpamAt);
            Enum(w, "mark", m.Mark);
            Text(w, "template", m.Template);
            if (m.Attachments.Count > 0)
            {
                w.WriteStartArray("files");
                foreach (var a in m.Attachments)
                {
                    w.WriteStartObject();
                    w.WriteString("id", a.Id);
                    w.WriteString("name", a.Name);
                    w.WriteNumber("size", a.Size);
                    w.WriteString("type", a.Type);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void Side(Utf8JsonWriter w, string name, (DateTimeOffset? LastWroteAt, int InMailStreak, bool Archived, IReadOnlyCollection<int> Labels) side,
        (DateTimeOffset? SnoozedUntil, ConversationReminder? Reminder, DateTimeOffset? BumpedAt, bool MarkedUnread) workspace)
    {
        w.WriteStartObject(name);
        Instant(w, "snoozed", workspace.SnoozedUntil);
        Instant(w, "bumped", workspace.BumpedAt);
        if (workspace.MarkedUnread)
        {
            w.WriteBoolean("markedUnread", true);
        }
        if (workspace.Reminder is { } reminder)
        {
            w.WriteStartObject("reminder");
            Instant(w, "at", reminder.At);
            w.WriteBoolean("unlessReply", reminder.UnlessReply);
            Instant(w, "set", reminder.SetAt);
            w.WriteEndObject();
        }
        Instant(w, "wrote", side.LastWroteAt);
        w.WriteNumber("streak", side.InMailStreak);
        w.WriteBoolean("archived", side.Archived);
        if (side.Labels.Count > 0)
        {
            w.WriteStartArray("labels");
            foreach (var id in side.Labels)
            {
                w.WriteNumberValue(id);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteSubscription(Utf8JsonWriter w, Subscription s)
    {
        w.WriteStartObject();
        w.WriteString("plan", s.Plan.Id);
        w.WriteString("billing", s.Billing.ToString());
        Instant(w, "anchor", s.Anchor);
        w.WriteNumber("next", s.NextCycle);
        Instant(w, "ends", s.EndsAt);
        w.WriteEndObject();
    }

    // A wallet's document holds what the rules read: its live lots and its counters. Ended lots and
    // ledger entries are history, stored in their own rows and read from there (decision 007).
    private static void WriteWallet(Utf8JsonWriter w, Wallet wallet)
    {
        w.WriteStartObject();
        var (lastLot, lastEntry) = wallet.Counters;
        w.WriteNumber("lastLot", lastLot);
        w.WriteNumber("lastEntry", lastEntry);
        Instant(w, "lastEntryAt", wallet.LastEntryAt);
        w.WriteStartArray("lots");
        foreach (var lot in wallet.LiveLots)
        {
            w.WriteStartObject();
            w.WriteNumber("id", lot.Id);
            w.WriteString("source", lot.Source.ToString());
            w.WriteNumber("granted", lot.Granted);
            Instant(w, "at", lot.GrantedAt);
            Instant(w, "expires", lot.Expires);
            w.WriteNumber("remaining", lot.Remaining);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSequence(Utf8JsonWriter w, Outreach.Sequence sq)
    {
        w.WriteStartObject();
        w.WriteString("id", sq.Id);
        w.WriteStartArray("steps");
        foreach (var step in sq.Steps)
        {
            w.WriteStartObject();
            w.WriteNumber("day", step.Day);
            w.WriteStartArray("templates");
            foreach (var t in step.Templates)
            {
                w.WriteStringValue(t);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean("best", sq.BestWindow);
        if (sq.Budget is { } budget)
        {
            w.WriteNumber("budget", budget);
        }
        Instant(w, "created", sq.CreatedAt);
        w.WriteStartArray("enrollments");
        foreach (var e in sq.Enrollments)
        {
            w.WriteStartObject();
            w.WriteString("to", e.To);
            Instant(w, "enrolled", e.EnrolledAt);
            Text(w, "variant", e.Variant?.ToString());
            w.WriteString("status", Outreach.EnrollmentNames.ToName(e.Status));
            Instant(w, "next", e.NextDueAt);
            Text(w, "waiting", e.WaitingOn);
            Text(w, "first", e.FirstSubject);
            Instant(w, "responded", e.RespondedAt);
            w.WriteNumber("respondedAfter", e.RespondedAfterSteps);
            Instant(w, "ended", e.EndedAt);
            Text(w, "reason", e.Reason);
            Text(w, "reasonMessage", e.ReasonMessage);
            w.WriteStartArray("sent");
            foreach (var x in e.Steps)
            {
                w.WriteStartObject();
                w.WriteNumber("i", x.Index);
                Text(w, "variant", x.Variant?.ToString());
                w.WriteString("message", x.MessageId);
                Instant(w, "at", x.At);
                w.WriteString("path", x.Path.ToString());
                w.WriteBoolean("charged", x.Charged);
                w.WriteBoolean("refunded", x.Refunded);
                w.WriteBoolean("positive", x.Positive);
                w.WriteBoolean("reported", x.ReportedSpam);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void ReadSequences(Member member, JsonElement sequences)
    {
        foreach (var sq in sequences.EnumerateArray())
        {
            var steps = sq.GetProperty("steps").EnumerateArray()
                .Select(x => new Outreach.SequenceStep(x.GetProperty("day").GetInt32(), x.GetProperty("templates").EnumerateArray().Select(t => t.GetString()!).ToList()))
                .ToList();
            var sequence = new Outreach.Sequence(Str(sq, "id")!, member.Id, steps, sq.GetProperty("best").GetBoolean(),
                sq.TryGetProperty("budget", out var budget) ? budget.GetInt32() : null, At(sq, "created")!.Value);
            member.SaveSequence(sequence);
            var ordinal = 0;
            foreach (var e in sq.GetProperty("enrollments").EnumerateArray())
            {
                var enrollment = new Outreach.Enrollment(sequence, Str(e, "to")!, ordinal++, At(e, "enrolled")!.Value, Letter(Str(e, "variant")), default);
                Outreach.EnrollmentNames.TryParse(Str(e, "status"), out var status);
                var sent = e.GetProperty("sent").EnumerateArray().Select(x => new Outreach.StepSent(x.GetProperty("i").GetInt32(), Letter(Str(x, "variant")), Str(x, "message")!,
                    At(x, "at")!.Value, System.Enum.Parse<SendPath>(Str(x, "path")!), x.GetProperty("charged").GetBoolean())
                {
                    Refunded = x.GetProperty("refunded").GetBoolean(),
                    Positive = x.GetProperty("positive").GetBoolean(),
                    ReportedSpam = x.GetProperty("reported").GetBoolean(),
                }).ToList();
                enrollment.Restore(status, At(e, "next"), Str(e, "waiting"), Str(e, "first"), At(e, "responded"), e.GetProperty("respondedAfter").GetInt32(),
                    At(e, "ended"), Str(e, "reason"), Str(e, "reasonMessage"), sent);
                member.AddEnrollment(enrollment);
            }
        }
    }

    private static char? Letter(string? text) => text is { Length: 1 } ? text[0] : null;

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Instant(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WritePropertyName(name);
            InstantValue(w, t);
        }
    }

    private static void InstantValue(Utf8JsonWriter w, DateTimeOffset t)
    {
        if (t.Offset == TimeSpan.Zero)
        {
            w.WriteNumberValue(t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        }
        else
        {
            w.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
        }
    }

    private static void Enum<T>(Utf8JsonWriter w, string name, T? value)
        where T : struct, System.Enum
    {
        if (value is { } v)
        {
            w.WriteString(name, v.ToString());
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static void Instants(Utf8JsonWriter w, string name, IEnumerable<DateTimeOffset> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            InstantValue(w, v);
        }
        w.WriteEndArray();
    }

    private static void Counter(Utf8JsonWriter w, string name, MonthCounter counter)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(counter.Month);
        w.WriteNumberValue(counter.CountInMonth);
        w.WriteEndArray();
    }

    // ---------------------------------------------------------------- reading

    internal static Member ReadMember(InMailState state, PlanCatalog catalog, byte[] doc, IStateSource history)
    {
        using var json = JsonDocument.Parse(doc);
        var r = json.RootElement;
        var id = Str(r, "id")!;
        var member = new Member(id, new Profile(Str(r, "name")!, Str(r, "headline"), Str(r, "company"), Str(r, "tz")),
            At(r, "joined")!.Value, InMailEngine.ActivityRetentionOf(catalog.Policy));
        member.SetOpenProfile(r.GetProperty("open").GetBoolean());
        member.SetInMail(r.GetProperty("inmail").GetBoolean());
        member.SetGroupMessages(r.GetProperty("groupMessages").GetBoolean());
        member.SetTeam(Str(r, "team"));
        if (At(r, "restricted") is { } until)
        {
            member.Restrict(until);
        }
        if (r.TryGetProperty("sub", out var sub))
        {
            member.SetSubscription(ReadSubscription(sub, catalog));
        }
        foreach (var c in r.GetProperty("connections").EnumerateArray())
        {
            member.AddConnection(c.GetString()!);
        }
        foreach (var b in r.GetProperty("blocked").EnumerateArray())
        {
            member.AddBlock(b.GetString()!);
        }
        foreach (var g in r.GetProperty("groups").EnumerateArray())
        {
            member.Join(g.GetString()!);
        }
        Fill(member.InMailsSent, r.GetProperty("inmailsSent"));
        Fill(member.InMailsReceived, r.GetProperty("inmailsReceived"));
        Fill(member.InvitationsSent, r.GetProperty("invitationsSent"));
        Fill(member.SpamReports, r.GetProperty("spamReports"));
        ReadCounter(member.GroupMessagesSent, r.GetProperty("groupMessagesSent"));
        ReadCounter(member.NotesSent, r.GetProperty("notes"));
        if (r.TryGetProperty("schedules", out var schedules))
        {
            foreach (var sc in schedules.EnumerateArray())
            {
                var schedule = new Outreach.ScheduledSend(Str(sc, "id")!, id, new Draft(id, Str(sc, "to")!, Str(sc, "subject"), Str(sc, "body"), Str(sc, "template")),
                    At(sc, "due")!.Value, At(sc, "created")!.Value, sc.GetProperty("best").GetBoolean());
                Outreach.ScheduleNames.TryParse(Str(sc, "status"), out var status);
                schedule.Restore(status, At(sc, "ended"), Str(sc, "message"), Str(sc, "code"), Str(sc, "reason"));
                member.AddSchedule(schedule);
            }
        }
        if (r.TryGetProperty("nextNotification", out var nextNotification))
        {
            if (r.TryGetProperty("notifications", out var inline))
            {
                // Written before notifications had a document of their own: they move there at the member's next write.
                member.RestoreNotificationList(ReadNotificationList(inline));
                member.NotificationsChanged = true;
            }
            else if (nextNotification.GetInt64() > 1)
            {
                member.NotificationsElsewhere(m =>
                {
                    if (history.Read(AggregateKey.ForNotifications(m.Id)) is { } notifications)
                    {
                        using var doc = JsonDocument.Parse(notifications);
                        m.RestoreNotificationList(ReadNotificationList(doc.RootElement.GetProperty("notifications")));
                    }
                });
            }
            member.RestoreNotifications(
                nextNotification.GetInt64(), At(r, "warnedUpTo"),
                r.GetProperty("refundWatch").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Array
                    ? (ReadInstant(x[0]), x[1].GetString()!, x[2].GetString()!)
                    : (At(x, "at")!.Value, Str(x, "message")!, Str(x, "to")!)));
        }
        if (r.TryGetProperty("labels", out var labelList))
        {
            member.RestoreLabels(labelList.EnumerateArray().Select(l => new InboxLabel(l.GetProperty("id").GetInt32(), Str(l, "name")!)),
                r.GetProperty("nextLabel").GetInt32());
        }
        if (r.TryGetProperty("sequences", out var sequences))
        {
            ReadSequences(member, sequences);
        }
        if (r.TryGetProperty("templates", out var templates))
        {
            foreach (var t in templates.EnumerateArray())
            {
                member.SaveTemplate(new Outreach.MessageTemplate(Str(t, "id")!, Str(t, "subject"), Str(t, "body")!, At(t, "saved")!.Value));
            }
        }
        ReadWallet(member.Wallet, r.GetProperty("wallet"), history);

        state.MemberIndex.Add(id, member);
        var inbox = new ActiveInbox();
        foreach (var e in r.GetProperty("inbox").EnumerateArray())
        {
            // [instant, other member]; documents written before that form hold the pair, [instant, a, b].
            inbox.Add(ReadInstant(e[0]), e.GetArrayLength() == 2 ? new MemberPair(id, e[1].GetString()!) : new MemberPair(e[1].GetString()!, e[2].GetString()!));
        }
        if (inbox.Count > 0)
        {
            state.ActiveInboxes[id] = inbox;
        }
        var pairs = new List<MemberPair>();
        foreach (var other in r.GetProperty("conversations").EnumerateArray())
        {
            pairs.Add(new MemberPair(id, other.GetString()!));
        }
        if (pairs.Count > 0)
        {
            state.ConversationsByMember[id] = pairs;
        }
        if (r.TryGetProperty("moreConversations", out var more) && more.GetBoolean())
        {
            state.PartlyListed.Add(id);
        }
        foreach (var i in r.GetProperty("invitations").EnumerateArray())
        {
            var to = Str(i, "to")!;
            state.InvitationIndex[(id, to)] = new Invitation(id, to, Str(i, "note"), At(i, "at")!.Value);
        }
        foreach (var wd in r.GetProperty("withdrawals").EnumerateArray())
        {
            state.Withdrawals[(id, Str(wd, "to")!)] = At(wd, "at")!.Value;
        }
        return member;
    }

    internal static Team ReadTeam(InMailState state, PlanCatalog catalog, byte[] doc, IStateSource history)
    {
        using var json = JsonDocument.Parse(doc);
        var r = json.RootElement;
        var id = Str(r, "id")!;
        var team = new Team(id, Str(r, "admin")!, ReadSubscription(r.GetProperty("sub"), catalog));
        var spend = new List<KeyValuePair<string, int>>();
        foreach (var p in r.GetProperty("poolSpend").EnumerateObject())
        {
            spend.Add(new(p.Name, p.Value.GetInt32()));
        }
        team.Restore(Str(r, "admin")!, r.GetProperty("seats").EnumerateArray().Select(s => s.GetString()!).ToList(),
            r.TryGetProperty("seatCap", out var cap) ? cap.GetInt32() : null, r.GetProperty("usageCycle").GetInt32(), spend, At(r, "ended"));
        foreach (var offer in r.GetProperty("offers").EnumerateArray())
        {
            team.Offer(Str(offer, "member")!, At(offer, "at")!.Value);
        }
        ReadWallet(team.Pool, r.GetProperty("pool"), history);
        state.TeamIndex.Add(id, team);
        return team;
    }

    internal static Group ReadGroup(InMailState state, byte[] doc)
    {
        using var json = JsonDocument.Parse(doc);
        var r = json.RootElement;
        var group = new Group(Str(r, "id")!, Str(r, "name")!);
        foreach (var m in r.GetProperty("members").EnumerateArray())
        {
            group.Add(m.GetString()!);
        }
        state.GroupIndex.Add(group.Id, group);
        return group;
    }

    internal static Conversation ReadConversation(InMailState state, byte[] doc)
    {
        using var json = JsonDocument.Parse(doc);
        var r = json.RootElement;
        var pair = new MemberPair(Str(r, "a")!, Str(r, "b")!);
        var activity = At(r, "activity")!.Value;
        var conversation = new Conversation(pair, activity);
        var messages = new List<Message>();
        foreach (var e in r.GetProperty("messages").EnumerateArray())
        {
            var from = Str(e, "from")!;
            Charge? charge = null;
            if (e.TryGetProperty("charge", out var c))
            {
                charge = new Charge(new WalletId(System.Enum.Parse<WalletOwner>(Str(c, "owner")!), Str(c, "wallet")!), c.GetProperty("lot").GetInt64(), At(c, "at")!.Value);
            }
            var message = new Message(Str(e, "id")!, from, pair.Other(from), System.Enum.Parse<SendPath>(Str(e, "path")!), Str(e, "subject"), Str(e, "body")!,
                At(e, "sent")!.Value, charge, EnumOf<ResponseKind>(e, "respondsWith"), Str(e, "template"));
            message.Restore(At(e, "read"), EnumOf<ResponseKind>(e, "response"), At(e, "responded"), At(e, "refunded"), At(e, "reported"), EnumOf<SenderMark>(e, "mark"));
            if (e.TryGetProperty("files", out var files))
            {
                message.Attach(files.EnumerateArray().Select(f => new Attachment(Str(f, "name")!, f.GetProperty("size").GetInt64(), Str(f, "type")!, Str(f, "id"))).ToArray());
            }
            messages.Add(message);
        }
        conversation.Restore(activity, ReadSide(r.GetProperty("sideA")), ReadSide(r.GetProperty("sideB")), messages);
        conversation.RestoreWorkspace(pair.A, ReadWorkspace(r.GetProperty("sideA")));
        conversation.RestoreWorkspace(pair.B, ReadWorkspace(r.GetProperty("sideB")));
        state.ConversationIndex.Add(pair, conversation);
        foreach (var m in messages)
        {
            state.MessageIndex[m.Id] = (conversation, m);
        }
        return conversation;
    }

    internal static void ReadGlobals(InMailState state, byte[] doc)
    {
        using var json = JsonDocument.Parse(doc);
        state.IdsStore.LastMessage = json.RootElement.GetProperty("msg").GetInt64();
    }

    private static (DateTimeOffset?, ConversationReminder?, DateTimeOffset?, bool) ReadWorkspace(JsonElement e) =>
        (At(e, "snoozed"),
            e.TryGetProperty("reminder", out var r) ? new ConversationReminder(At(r, "at")!.Value, r.GetProperty("unlessReply").GetBoolean(), At(r, "set")!.Value) : null,
            At(e, "bumped"), e.TryGetProperty("markedUnread", out var u) && u.GetBoolean());

    private static (DateTimeOffset?, int, bool, IReadOnlyCollection<int>) ReadSide(JsonElement e) =>
        (At(e, "wrote"), e.GetProperty("streak").GetInt32(), e.GetProperty("archived").GetBoolean(),
            e.TryGetProperty("labels", out var labels) ? labels.EnumerateArray().Select(l => l.GetInt32()).ToList() : []);

    private static Subscription ReadSubscription(JsonElement e, PlanCatalog catalog)
    {
        var planId = Str(e, "plan")!;
        if (!catalog.TryGetPlan(planId, out var plan))
        {
            throw new InvalidOperationException($"a stored subscription names the plan '{planId}', which the catalog does not have");
        }
        var s = new Subscription(plan, System.Enum.Parse<BillingPeriod>(Str(e, "billing")!), At(e, "anchor")!.Value);
        s.Restore(e.GetProperty("next").GetInt32(), At(e, "ends"));
        return s;
    }

    private static void ReadWallet(Wallet wallet, JsonElement e, IStateSource history)
    {
        var lots = new List<Lot>();
        foreach (var l in e.GetProperty("lots").EnumerateArray())
        {
            if (Str(l, "end") is { } end && end != nameof(LotEnd.Live))
            {
                continue; // a document written before history left the documents listed ended lots too: their rows hold them
            }
            var lot = new Lot(l.GetProperty("id").GetInt64(), wallet.Id, System.Enum.Parse<LotSource>(Str(l, "source")!), l.GetProperty("granted").GetInt32(),
                At(l, "at")!.Value, At(l, "expires")!.Value);
            lot.Restore(l.GetProperty("remaining").GetInt32(), LotEnd.Live, null);
            lots.Add(lot);
        }
        wallet.Restore(lots, e.GetProperty("lastLot").GetInt64(), e.GetProperty("lastEntry").GetInt64(), At(e, "lastEntryAt"), history);
    }

    private static void Fill(InstantLog log, JsonElement e)
    {
        foreach (var t in e.EnumerateArray())
        {
            log.Add(ReadInstant(t));
        }
    }

    private static void ReadCounter(MonthCounter counter, JsonElement e) => counter.Restore(e[0].GetInt32(), e[1].GetInt32());

    /// <summary>Notifications as <see cref="WriteNotifications"/> writes them; materialised, as the document is disposed after.</summary>
    private static List<Notification> ReadNotificationList(JsonElement list) =>
        [.. list.EnumerateArray().Select(n => new Notification(n.GetProperty("id").GetInt64(), Str(n, "kind")!, At(n, "at")!.Value, Str(n, "about"), Str(n, "text")!)
        {
            ReadAt = At(n, "read"),
        })];

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static DateTimeOffset? At(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? ReadInstant(v) : null;

    /// <summary>An instant as <see cref="InstantValue"/> wrote it: ticks since 1970 in UTC, or "O" text.</summary>
    private static DateTimeOffset ReadInstant(JsonElement v) => v.ValueKind == JsonValueKind.Number
        ? new DateTimeOffset(v.GetInt64() + DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.Zero)
        : ParseInstant(v.GetString()!);

    private static T? EnumOf<T>(JsonElement e, string name)
        where T : struct, System.Enum => e.TryGetProperty(name, out var v) ? System.Enum.Parse<T>(v.GetString()!) : null;

    private static DateTimeOffset ParseInstant(string s) => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
