using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages.Inbox;

/// <summary>A tab of the split inbox (SPEC §11): one of the member's labels, with its inbox conversations holding something unread.</summary>
public sealed record LabelTab(string Name, int Unread);

/// <summary>
/// The inbox: conversations newest first, with unread counts, the InMail label, filters and search; split by the
/// member's labels, one tab each (in the order they made them), each conversation showing its labels and a
/// small form to change them.
/// </summary>
public sealed class IndexModel(CommandStore store) : MemberPage(store)
{
    public static readonly IReadOnlyList<(string Id, string Label)> Filters = [("all", "All"), ("inmail", "InMail"), ("unread", "Unread"), ("snoozed", "Snoozed"), ("archive", "Archive")];

    public string Filter { get; private set; } = "all";

    public string Query { get; private set; } = "";

    /// <summary>The label whose tab is open, as the member wrote it; null for every conversation.</summary>
    public string? Label { get; private set; }

    /// <summary>The label asked for in the address when the member has no such label (the list is then empty).</summary>
    public string? UnknownLabel { get; private set; }

    public IReadOnlyList<ConversationView> Conversations { get; private set; } = [];

    /// <summary>Conversations in the inbox (not the archive) holding something unread: the count the page and the navigation show.</summary>
    public int Unread { get; private set; }

    /// <summary>The split inbox's tabs: every label the member has, in the order they made them.</summary>
    public IReadOnlyList<LabelTab> Tabs { get; private set; } = [];

    /// <summary>What the list shows of a conversation's last message: who wrote it, and for a bare accept or decline what happened.</summary>
    public string Snippet(ConversationView c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Last is not { } last)
        {
            return "";
        }
        var mine = last.From == Me;
        var who = mine ? "You" : c.With.Name;
        var response = last.RespondsWith switch
        {
            "accept" => mine ? "You accepted the InMail" : $"{c.With.Name} accepted your InMail",
            "decline" => mine ? "You declined the InMail" : $"{c.With.Name} declined your InMail",
            _ => null,
        };
        var text = (last.Subject is { Length: > 0 } s ? s + " — " : "") + Words.Snippet(last.Body, 120);
        return response is null ? (mine ? "You: " + text : text)
            : last.Body.Length == 0 ? response + "."
            : $"{response}: {Words.Snippet(last.Body, 120)}";
    }

    /// <summary>The cursor of the next (older) page, when there is one.</summary>
    public string? Next { get; private set; }

    /// <summary>How many conversations the filter and search match.</summary>
    public int Total { get; private set; }

    /// <summary>The cursor of the page shown (null for the first), so a change made from the list comes back to it.</summary>
    public string? After { get; private set; }

    /// <summary>The inbox with this filter and label (the search kept), from its first page or after <paramref name="after"/>.</summary>
    public string Href(string filter, string? label, string? after = null)
    {
        var parts = new List<string> { "filter=" + Uri.EscapeDataString(filter) };
        if (label is not null)
        {
            parts.Add("label=" + Uri.EscapeDataString(label));
        }
        if (Query.Length > 0)
        {
            parts.Add("q=" + Uri.EscapeDataString(Query));
        }
        if (after is not null)
        {
            parts.Add("after=" + Uri.EscapeDataString(after));
        }
        return "/inbox?" + string.Join('&', parts);
    }

    /// <summary>The list as shown, for the label form's post to come back to.</summary>
    public Dictionary<string, string> Here()
    {
        var here = new Dictionary<string, string>(StringComparer.Ordinal) { ["filter"] = Filter };
        if (Label is not null)
        {
            here["label"] = Label;
        }
        if (Query.Length > 0)
        {
            here["q"] = Query;
        }
        if (After is not null)
        {
            here["after"] = After;
        }
        return here;
    }

    /// <summary>The field a refusal about one conversation's snooze is shown beside.</summary>
    public static string SnoozeField(string other) => "snooze:" + other;

    /// <summary>The snooze menu of one row, coming back to the list as shown.</summary>
    public WakeMenu SnoozeMenu(ConversationView c, int row)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new WakeMenu("Snooze", $"snooze-{row}", c.With.Id, c.With.Name, false, Time, Here(), RefusalFor(SnoozeField(c.With.Id)), "h");
    }

    /// <summary>
    /// Snoozes a conversation from the list until the choice's instant in the member's zone (the engine's rules:
    /// a later instant than now); it leaves the list and shows under Snoozed. Comes back to the same list.
    /// </summary>
    public async Task<IActionResult> OnPostSnoozeAsync(string with, string? choice, string? atLocal, string? filter, string? label, string? q, string? after)
    {
        var until = WakeChoices.Resolve(Time, choice, atLocal);
        var outcome = until is null
            ? Domain.Refuse.With(Domain.RefusalCode.InvalidInput, "Pick the date and time to snooze until.")
            : await RunAsync(new SnoozeConversation(Me, with ?? "", until), (e, _, snoozed) =>
                $"Snoozed your conversation with {e.State.FindMember(with)?.Profile.Name ?? with} until {Time.Absolute(snoozed.SnoozedUntil(Me)!.Value)}.");
        return await BackAsync(outcome, SnoozeField(with ?? ""), filter, label, q, after);
    }

    /// <summary>Ends a snooze from the Snoozed list now: the conversation is back on top of the inbox, marked unread.</summary>
    public async Task<IActionResult> OnPostUnsnoozeAsync(string with, string? filter, string? label, string? q, string? after)
    {
        var outcome = await RunAsync(new Unsnooze(Me, with ?? ""), (e, _, _) => $"Your conversation with {e.State.FindMember(with)?.Profile.Name ?? with} is back in the inbox.");
        return await BackAsync(outcome, SnoozeField(with ?? ""), filter, label, q, after);
    }

    /// <summary>Archives a conversation from the list (the <c>e</c> shortcut's button); a new message brings it back.</summary>
    public async Task<IActionResult> OnPostArchiveAsync(string with, string? filter, string? label, string? q, string? after)
    {
        var outcome = await RunAsync(new Archive(Me, with ?? "", true), (e, _, _) => $"Moved your conversation with {e.State.FindMember(with)?.Profile.Name ?? with} to the archive.");
        return await BackAsync(outcome, Field(with ?? ""), filter, label, q, after);
    }

    private async Task<IActionResult> BackAsync(Domain.Outcome<string> outcome, string field, string? filter, string? label, string? q, string? after)
    {
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, field);
            await LoadAsync(filter, label, q, after);
            return Page();
        }
        Flash = outcome.Value;
        Query = (q ?? "").Trim();
        return Redirect(Href(Filters.Any(f => f.Id == filter) ? filter! : "all", string.IsNullOrWhiteSpace(label) ? null : label, after));
    }

    /// <summary>Every label the member has, in the order they made them (the label form's choices).</summary>
    public IEnumerable<string> LabelNames => Tabs.Select(t => t.Name);

    /// <summary>The field a refusal about one conversation's labels is shown beside.</summary>
    public static string Field(string other) => "labels:" + other;

    public async Task OnGetAsync(string? filter, string? label, string? q, string? after) => await LoadAsync(filter, label, q, after);

    /// <summary>
    /// Sets the conversation's labels from the list's form: the boxes ticked stay or go on, the ones shown unticked
    /// come off, and a new name makes a label (the engine's rules, all or nothing). Comes back to the same list.
    /// </summary>
    public async Task<IActionResult> OnPostLabelAsync(string with, string[]? on, string[]? shown, string? newLabel, string? filter, string? label, string? q, string? after)
    {
        on ??= [];
        var add = on.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (!string.IsNullOrWhiteSpace(newLabel))
        {
            add.Add(newLabel);
        }
        var remove = (shown ?? []).Except(on, StringComparer.OrdinalIgnoreCase).ToList();
        var outcome = await RunAsync(new LabelConversation(Me, with ?? "", add, remove), (e, _, labels) =>
        {
            var name = e.State.FindMember(with)?.Profile.Name ?? with;
            return labels.Count == 0 ? $"No labels on your conversation with {name}."
                : $"Your conversation with {name} is labelled {string.Join(", ", labels.Select(l => $"“{l.Name}”"))}.";
        });
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, Field(with ?? ""));
            await LoadAsync(filter, label, q, after);
            return Page();
        }
        Flash = outcome.Value;
        Query = (q ?? "").Trim();
        return Redirect(Href(Filters.Any(f => f.Id == filter) ? filter! : "all", string.IsNullOrWhiteSpace(label) ? null : label, after));
    }

    private async Task LoadAsync(string? filter, string? label, string? q, string? after)
    {
        Filter = Filters.Any(f => f.Id == filter) ? filter! : "all";
        Query = (q ?? "").Trim();
        var me = Me;
        var counts = await Store.LabelCountsAsync(me, HttpContext.RequestAborted);
        int? labelId = null;
        (Tabs, labelId, Label) = await ReadAsync((e, _) =>
        {
            var member = e.State.FindMember(me)!;
            var found = string.IsNullOrWhiteSpace(label) ? null : member.FindLabel(label);
            return ((IReadOnlyList<LabelTab>)[.. member.Labels.Select(l => new LabelTab(l.Name, counts.TryGetValue(l.Id, out var c) ? c.Unread : 0))],
                found?.Id, found?.Name);
        });
        if (!string.IsNullOrWhiteSpace(label) && labelId is null)
        {
            UnknownLabel = label;
        }
        var which = Filter switch { "archive" => InboxFilter.Archive, "inmail" => InboxFilter.InMail, "unread" => InboxFilter.Unread, "snoozed" => InboxFilter.Snoozed, _ => InboxFilter.All };
        InboxPage page;
        try
        {
            // Issue 9: a page of 50 from the tables, newest first; only its conversations are read into memory.
            page = await Store.InboxAsync(me, which, Query, after, PageSize, HttpContext.RequestAborted, labelId);
            After = after;
        }
        catch (FormatException)
        {
            page = await Store.InboxAsync(me, which, Query, null, PageSize, HttpContext.RequestAborted, labelId); // a mangled link starts at the newest
        }
        (Next, Total, Unread) = (page.Next, page.Total, page.UnreadConversations);
        if (UnknownLabel is not null)
        {
            (Next, Total) = (null, 0);
            return;
        }
        Conversations = await ReadAsync((e, _) => (IReadOnlyList<ConversationView>)[.. page.Pairs.Select(p => e.State.FindConversation(p))
            .OfType<InMail.Domain.Messaging.Conversation>().Select(c => View.Of(c, me, e.State))]);
    }

    /// <summary>Conversations on one page of the inbox.</summary>
    public const int PageSize = 50;
}
