using System.Globalization;
using System.Text;
using InMail.Domain;
using InMail.Domain.Network;

namespace InMail.Storage;

/// <summary>Which conversations an inbox page lists.</summary>
public enum InboxFilter
{
    /// <summary>Every conversation in the inbox (not archived).</summary>
    All,

    /// <summary>Inbox conversations holding an InMail (paid or Open Profile).</summary>
    InMail,

    /// <summary>Inbox conversations holding a message the member has not read.</summary>
    Unread,

    /// <summary>The archive.</summary>
    Archive,

    /// <summary>Conversations the member snoozed (SPEC §11), out of the inbox until they come back.</summary>
    Snoozed,
}

/// <summary>One page of a member search: the members' ids by name, and the cursor of the next page (null on the last).</summary>
public sealed record MemberSearchPage(IReadOnlyList<string> Ids, string? Next);

/// <summary>One page of an inbox: the conversations' pairs newest first, the cursor of the next page, and the counts.</summary>
/// <param name="Pairs">The conversations of this page, most recently active first.</param>
/// <param name="Next">The cursor that continues after this page, or null on the last page.</param>
/// <param name="Total">How many conversations the filter and search match, on every page.</param>
/// <param name="UnreadMessages">Messages to the member not yet read, in the inbox or (for the archive) the archive.</param>
/// <param name="UnreadConversations">Inbox conversations holding an unread message.</param>
public sealed record InboxPage(IReadOnlyList<MemberPair> Pairs, string? Next, int Total, int UnreadMessages, int UnreadConversations);

/// <summary>How many of a member's conversations carry one of their labels, and how many of those in the inbox hold something unread.</summary>
/// <param name="Conversations">Conversations carrying the label, archived ones included.</param>
/// <param name="Unread">Inbox conversations (not archived) carrying it that hold a message the member has not read.</param>
public sealed record LabelCount(int Conversations, int Unread);

/// <summary>
/// Issue 9: the inbox is read from the tables, a page at a time (keyset paging on the last activity),
/// so a member with a hundred thousand conversations costs one page, and memory holds only the working set.
/// </summary>
public sealed partial class CommandStore
{
    /// <summary>The most conversations one page holds.</summary>
    public const int MaxInboxPage = 200;

    /// <summary>
    /// A page of <paramref name="member"/>'s conversations, newest first. <paramref name="search"/> matches
    /// the other member's name or any message's subject or body, ignoring case. <paramref name="cursor"/>
    /// is a page's <see cref="InboxPage.Next"/>; null starts at the newest. Throws <see cref="FormatException"/> for a cursor this did not make.
    /// With <paramref name="label"/> (a label's id), only the conversations the member put that label on.
    /// </summary>
    public async Task<InboxPage> InboxAsync(string member, InboxFilter filter, string? search, string? cursor, int take, CancellationToken cancellationToken = default, int? label = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        take = Math.Clamp(take, 1, MaxInboxPage);
        var after = cursor is null ? ((DateTimeOffset At, string A, string B)?)null : ReadCursor(cursor);
        var p = new List<object?> { member, filter == InboxFilter.Archive };
        string P(object? value)
        {
            p.Add(value);
            return Parameter(p.Count - 1);
        }
        // A member's conversations are those where they are member_a and those where they are member_b: each side is
        // read through its own index (conversations_a_mine, conversations_b_mine: the member, then their activity), so a
        // page walks the newest entries of each and stops, whatever the member's history (the whole list was sorted
        // before: 0.5 s a page at 100,000 conversations; bench/README.md, "Inbox pages at 100,000 conversations").
        string Side(char side) =>
            $"(SELECT c.member_a, c.member_b, c.activity_{side} AS last_activity_at, c.member_{(side == 'a' ? 'b' : 'a')} AS other, c.archived_{side} AS archived, c.snoozed_{side} AS snoozed, c.unread_{side} AS marked_unread FROM conversations c WHERE c.member_{side} = {Parameter(0)}) x";
        // The active inbox is what is neither archived nor snoozed (SPEC §11); the snoozed list is its own.
        var where = new StringBuilder(filter == InboxFilter.Snoozed ? $"x.archived = {Parameter(1)} AND x.snoozed IS NOT NULL"
            : filter == InboxFilter.Archive ? $"x.archived = {Parameter(1)}" : $"x.archived = {Parameter(1)} AND x.snoozed IS NULL");
        string Unread() => $"(x.marked_unread = {P(true)} OR EXISTS (SELECT 1 FROM messages m WHERE {SameConversation} AND m.to_id = {Parameter(0)} AND m.read_at IS NULL))";
        switch (filter)
        {
            case InboxFilter.InMail:
                where.Append($" AND EXISTS (SELECT 1 FROM messages m WHERE {SameConversation} AND m.path IN ('inmail', 'open-profile'))");
                break;
            case InboxFilter.Unread:
                where.Append(" AND ").Append(Unread());
                break;
            default:
                break;
        }
        if (label is { } labelId)
        {
            where.Append($" AND EXISTS (SELECT 1 FROM conversation_labels l WHERE l.member_id = {Parameter(0)} AND l.label_id = {P((long)labelId)} AND l.other_id = x.other)");
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var like = $"LIKE {P(LikePattern(search.Trim()))} ESCAPE '\\'";
            where.Append($" AND (EXISTS (SELECT 1 FROM members o WHERE o.id = x.other AND lower(o.name) {like})")
                .Append($" OR EXISTS (SELECT 1 FROM messages m WHERE {SameConversation} AND (lower(m.body) {like} OR lower(coalesce(m.subject, '')) {like})))");
        }
        var counted = where.ToString();
        var countedParameters = p.Count;
        if (after is { } a)
        {
            // The first term bounds each side's index range, so the next page starts where the last one stopped.
            where.Append($" AND x.last_activity_at <= {P(a.At)} AND (x.last_activity_at < {P(a.At)} OR x.member_a < {P(a.A)} OR (x.member_a = {P(a.A)} AND x.member_b < {P(a.B)}))");
        }
        const string Newest = "ORDER BY last_activity_at DESC, member_a DESC, member_b DESC";
        string PageOf(char side) => $"SELECT * FROM (SELECT x.member_a, x.member_b, x.last_activity_at FROM {Side(side)} WHERE {where} {Newest} LIMIT {take + 1}) s{side}";
        var rows = await QueryAsync(
            $"SELECT member_a, member_b, last_activity_at FROM ({PageOf('a')} UNION ALL {PageOf('b')}) both_sides {Newest} LIMIT {take + 1}",
            [.. p], r =>
            {
                var list = new List<(MemberPair Pair, DateTimeOffset At)>();
                while (r.Read())
                {
                    list.Add((new MemberPair(r.GetString(0), r.GetString(1)), ReadInstant(r, 2)));
                }
                return list;
            }, cancellationToken).ConfigureAwait(false);
        var countParameters = p.Take(countedParameters).ToArray();
        var total = await Count($"SELECT (SELECT COUNT(*) FROM {Side('a')} WHERE {counted}) + (SELECT COUNT(*) FROM {Side('b')} WHERE {counted})",
            countParameters, cancellationToken).ConfigureAwait(false);
        var unreadMessages = await Count(CountUnreadMessages(side => filter == InboxFilter.Archive ? ""
                : filter == InboxFilter.Snoozed ? $" AND x.snoozed_{side} IS NOT NULL" : $" AND x.snoozed_{side} IS NULL"),
            [member, filter == InboxFilter.Archive], cancellationToken).ConfigureAwait(false);
        var unreadConversations = await UnreadConversationsAsync(member, cancellationToken).ConfigureAwait(false);
        var page = rows.Take(take).ToList();
        var next = rows.Count > take ? WriteCursor(page[^1].At, page[^1].Pair) : null;
        return new InboxPage([.. page.Select(r => r.Pair)], next, total, unreadMessages, unreadConversations);
    }

    /// <summary>A message <c>m</c> of conversation <c>x</c>.</summary>
    private const string SameConversation = "m.member_a = x.member_a AND m.member_b = x.member_b";

    /// <summary>
    /// The conversations (<c>member_a, member_b</c>) of the messages to the member (parameter 0) not yet read, where the
    /// member is on <paramref name="side"/> of the conversation and it is archived or not as parameter 1 says, and
    /// <paramref name="more"/> holds (of <c>x</c>, the conversation). Read from the index of unread messages
    /// (messages_unread), so it costs the unread messages, not the member's history. One side at a time, in plain
    /// columns: with a CASE over the sides PostgreSQL could not estimate the conversations' filter, and scanned them all
    /// (3.4 s at 1.1 million conversations; bench/README.md, "Inbox pages at 100,000 conversations").
    /// </summary>
    private string UnreadOn(char side, string more = "") => $"""
        SELECT m.member_a, m.member_b FROM messages m JOIN conversations x ON {SameConversation}
        WHERE m.to_id = {Parameter(0)} AND m.read_at IS NULL AND x.member_{side} = {Parameter(0)} AND x.archived_{side} = {Parameter(1)}{more}
        """;

    /// <summary>How many messages <see cref="UnreadOn"/> finds on both sides, with <paramref name="more"/> (given the side) as its condition.</summary>
    private string CountUnreadMessages(Func<char, string> more) =>
        $"SELECT (SELECT COUNT(*) FROM ({UnreadOn('a', more('a'))}) ua) + (SELECT COUNT(*) FROM ({UnreadOn('b', more('b'))}) ub)";

    /// <summary>How many of <paramref name="member"/>'s inbox conversations (not archived) hold a message they have not read.</summary>
    /// <remarks>
    /// Those holding an unread message come from the index of unread messages; those the member marked unread from a walk of
    /// each side's index with its rows (a covering index would make it index-only; not worth rebuilding the table's indexes yet).
    /// </remarks>
    public Task<int> UnreadConversationsAsync(string member, CancellationToken cancellationToken = default) => Count($"""
        SELECT COUNT(*) FROM (
            {UnreadOn('a', " AND x.snoozed_a IS NULL")}
            UNION
            {UnreadOn('b', " AND x.snoozed_b IS NULL")}
            UNION
            {MarkedUnreadOn('a')}
            UNION
            {MarkedUnreadOn('b')}) unread
        """, [member, false, true], cancellationToken);

    /// <summary>The member's (parameter 0) inbox conversations on <paramref name="side"/> they marked unread (parameter 2), archived as parameter 1 says.</summary>
    private string MarkedUnreadOn(char side) =>
        $"SELECT member_a, member_b FROM conversations WHERE member_{side} = {Parameter(0)} AND unread_{side} = {Parameter(2)} AND archived_{side} = {Parameter(1)} AND snoozed_{side} IS NULL";

    /// <summary>How many messages to <paramref name="member"/> in their inbox conversations (not archived) they have not read.</summary>
    public Task<int> UnreadMessagesAsync(string member, CancellationToken cancellationToken = default) =>
        Count(CountUnreadMessages(_ => ""), [member, false], cancellationToken);

    /// <summary>
    /// For each label id <paramref name="member"/> has put on a conversation: how many conversations carry it
    /// (the archive's too), and how many of those in the inbox (not archived) hold a message they have not read:
    /// the split inbox's counts, from the tables like <see cref="UnreadConversationsAsync"/>. A label on no
    /// conversation is absent; ids of deleted labels may be present (ids are never reused).
    /// </summary>
    public Task<Dictionary<int, LabelCount>> LabelCountsAsync(string member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        return QueryAsync($"""
            SELECT l.label_id, COUNT(*),
                   SUM(CASE WHEN (CASE WHEN x.member_a = {Parameter(0)} THEN x.archived_a ELSE x.archived_b END) = {Parameter(1)}
                        AND (CASE WHEN x.member_a = {Parameter(0)} THEN x.snoozed_a ELSE x.snoozed_b END) IS NULL
                        AND ((CASE WHEN x.member_a = {Parameter(0)} THEN x.unread_a ELSE x.unread_b END) = {Parameter(2)}
                             OR EXISTS (SELECT 1 FROM messages m WHERE {SameConversation} AND m.to_id = {Parameter(0)} AND m.read_at IS NULL))
                       THEN 1 ELSE 0 END)
            FROM conversation_labels l
            JOIN conversations x ON (x.member_a = {Parameter(0)} AND x.member_b = l.other_id) OR (x.member_b = {Parameter(0)} AND x.member_a = l.other_id)
            WHERE l.member_id = {Parameter(0)}
            GROUP BY l.label_id
            """, [member, false, true], r =>
        {
            var counts = new Dictionary<int, LabelCount>();
            while (r.Read())
            {
                counts[Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture)] = new LabelCount(
                    Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture));
            }
            return counts;
        }, cancellationToken);
    }

    private Task<int> Count(string sql, object?[] parameters, CancellationToken cancellationToken) =>
        QueryAsync(sql, parameters, r => r.Read() ? Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture) : 0, cancellationToken);

    /// <summary>A LIKE pattern that finds <paramref name="text"/> anywhere, in lower case, with LIKE's own characters escaped by '\'.</summary>
    internal static string LikePattern(string text) =>
        "%" + text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>A page cursor: <paramref name="text"/> as unpadded base64url, opaque to clients and safe in a query string.</summary>
    private static string Cursor(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The text a <see cref="Cursor"/> holds; <see cref="FormatException"/> when it is not base64url.</summary>
    private static string CursorText(string cursor)
    {
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }

    private static string WriteCursor(DateTimeOffset at, MemberPair pair) =>
        Cursor(string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks}|{pair.A}|{pair.B}"));

    private static (DateTimeOffset At, string A, string B) ReadCursor(string cursor)
    {
        try
        {
            var parts = CursorText(cursor).Split('|');
            if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Identifiers.IsValid(parts[1]) || !Identifiers.IsValid(parts[2]))
            {
                throw new FormatException("not an inbox cursor");
            }
            return (new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], parts[2]);
        }
        catch (FormatException e)
        {
            throw new FormatException("The cursor is not one an inbox page gave.", e);
        }
    }
}
