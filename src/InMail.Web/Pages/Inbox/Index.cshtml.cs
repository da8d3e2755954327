using InMail.Storage;
using InMail.Web.Api;

namespace InMail.Web.Pages.Inbox;

/// <summary>The inbox: conversations newest first, with unread counts, the InMail label, filters and search.</summary>
public sealed class IndexModel(CommandStore store) : MemberPage(store)
{
    public static readonly IReadOnlyList<(string Id, string Label)> Filters = [("all", "All"), ("inmail", "InMail"), ("unread", "Unread"), ("archive", "Archive")];

    public string Filter { get; private set; } = "all";

    public string Query { get; private set; } = "";

    public IReadOnlyList<ConversationView> Conversations { get; private set; } = [];

    /// <summary>Conversations in the inbox (not the archive) holding something unread: the count the page and the navigation show.</summary>
    public int Unread { get; private set; }

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

    public async Task OnGetAsync(string? filter, string? q, string? after)
    {
        Filter = Filters.Any(f => f.Id == filter) ? filter! : "all";
        Query = (q ?? "").Trim();
        var me = Me;
        var which = Filter switch { "archive" => InboxFilter.Archive, "inmail" => InboxFilter.InMail, "unread" => InboxFilter.Unread, _ => InboxFilter.All };
        InboxPage page;
        try
        {
            // Issue 9: a page of 50 from the tables, newest first; only its conversations are read into memory.
            page = await Store.InboxAsync(me, which, Query, after, PageSize, HttpContext.RequestAborted);
        }
        catch (FormatException)
        {
            page = await Store.InboxAsync(me, which, Query, null, PageSize, HttpContext.RequestAborted); // a mangled link starts at the newest
        }
        (Next, Total, Unread) = (page.Next, page.Total, page.UnreadConversations);
        Conversations = await ReadAsync((e, _) => (IReadOnlyList<ConversationView>)[.. page.Pairs.Select(p => e.State.FindConversation(p))
            .OfType<InMail.Domain.Messaging.Conversation>().Select(c => View.Of(c, me, e.State))]);
    }

    /// <summary>Conversations on one page of the inbox.</summary>
    public const int PageSize = 50;
}
