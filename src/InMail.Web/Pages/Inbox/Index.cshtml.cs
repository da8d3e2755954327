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

    /// <summary>How many of the member's inbox conversations hold an unread message (one place for the heading, the tab and the navigation).</summary>
    public static int UnreadConversations(InMail.Domain.InMailState state, string me)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.ConversationsOf(me).Count(c => !c.IsArchivedFor(me) && c.UnreadFor(me) > 0);
    }

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

    public async Task OnGetAsync(string? filter, string? q)
    {
        Filter = Filters.Any(f => f.Id == filter) ? filter! : "all";
        Query = (q ?? "").Trim();
        var me = Me;
        (Conversations, Unread) = await ReadAsync((e, _) =>
        {
            var all = e.State.ConversationsOf(me).Select(c => (Conversation: c, View: View.Of(c, me, e.State))).ToList();
            var unread = UnreadConversations(e.State, me);
            var shown = all.Where(c => Filter switch
            {
                "archive" => c.View.Archived,
                "inmail" => !c.View.Archived && c.View.HasInMail,
                "unread" => !c.View.Archived && c.View.Unread > 0,
                _ => !c.View.Archived,
            });
            if (Query.Length > 0)
            {
                shown = shown.Where(c => c.View.With.Name.Contains(Query, StringComparison.OrdinalIgnoreCase)
                    || c.Conversation.Messages.Any(m => m.Body.Contains(Query, StringComparison.OrdinalIgnoreCase)
                        || (m.Subject?.Contains(Query, StringComparison.OrdinalIgnoreCase) ?? false)));
            }
            return ((IReadOnlyList<ConversationView>)[.. shown.Select(c => c.View).OrderByDescending(c => c.LastActivityAt)], unread);
        });
    }
}
