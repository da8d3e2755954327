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

    public int Unread { get; private set; }

    public async Task OnGetAsync(string? filter, string? q)
    {
        Filter = Filters.Any(f => f.Id == filter) ? filter! : "all";
        Query = (q ?? "").Trim();
        var me = Me;
        (Conversations, Unread) = await ReadAsync((e, _) =>
        {
            var all = e.State.ConversationsOf(me).Select(c => (Conversation: c, View: View.Of(c, me, e.State))).ToList();
            var unread = all.Where(c => !c.View.Archived).Sum(c => c.View.Unread);
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
