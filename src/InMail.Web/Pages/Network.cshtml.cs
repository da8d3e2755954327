using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>An invitation with the other member's name.</summary>
public sealed record InvitationLine(InvitationView Invitation, string OtherId, string OtherName);

/// <summary>Network: connections, invitations received and sent (with the note limits), groups and blocks.</summary>
public sealed class NetworkModel(CommandStore store) : MemberPage(store)
{
    [BindProperty(SupportsGet = true, Name = "invite")]
    public string? To { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<MemberBrief> Connections { get; private set; } = [];

    public IReadOnlyList<InvitationLine> Received { get; private set; } = [];

    public IReadOnlyList<InvitationLine> Sent { get; private set; } = [];

    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    public IReadOnlyList<MemberBrief> Blocked { get; private set; } = [];

    public int NoteMax { get; private set; }

    /// <summary>The name of the member chosen to invite, when there is one.</summary>
    public string? InviteeName { get; private set; }

    /// <summary>On the free plan: notes used this month and the monthly limit; null on paid plans.</summary>
    public (int Used, int Limit)? Notes { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        var outcome = await RunAsync(new Invite(Me, (To ?? "").Trim(), string.IsNullOrWhiteSpace(Note) ? null : Note));
        if (!outcome.IsSuccess)
        {
            // A note's control characters are the note's problem, not a message body's.
            Show(outcome.Refusal, Words.FieldOf(outcome.Refusal.Code) == "body" ? "note" : null);
            return await ShowAgain();
        }
        Flash = "Invitation sent.";
        return Redirect("/network");
    }

    public Task<IActionResult> OnPostAcceptAsync(string from) => RunThenRedirectAsync(new AcceptInvite(from, Me), "You are now connected.", ShowAgain);

    public Task<IActionResult> OnPostIgnoreAsync(string from) => RunThenRedirectAsync(new IgnoreInvite(from, Me), "Invitation ignored.", ShowAgain);

    public Task<IActionResult> OnPostWithdrawAsync(string to) => RunThenRedirectAsync(new WithdrawInvite(Me, to), "Invitation withdrawn.", ShowAgain, "");

    public async Task<IActionResult> OnPostDisconnectAsync(string other, bool confirmed)
    {
        if (!confirmed && await NameOfAsync(other) is { } name)
        {
            Confirm = new ConfirmStep($"Remove {name} from your connections?",
                [$"Messages between you are no longer free: writing to {name} takes the path a stranger's would (Open Profile, a shared group, or a paid InMail).",
                 "Your conversation stays in both inboxes. To connect again, one of you sends an invitation."],
                "/network?handler=Disconnect&other=" + Uri.EscapeDataString(other), [], $"Confirm: remove {name}", "/network");
            return await ShowAgain();
        }
        return await RunThenRedirectAsync(new Disconnect(Me, other), "Connection removed.", ShowAgain, "");
    }

    public async Task<IActionResult> OnPostBlockAsync(string other, bool confirmed)
    {
        if (!confirmed && await NameOfAsync(other) is { } name)
        {
            Confirm = new ConfirmStep($"Block {name}?",
                [$"Neither of you can message or invite the other, by any path.",
                 $"Your connection with {name} and any pending invitation between you end now.",
                 "You can unblock later from this page; the connection does not come back by itself."],
                "/network?handler=Block&other=" + Uri.EscapeDataString(other), [], $"Confirm: block {name}", "/network");
            return await ShowAgain();
        }
        return await RunThenRedirectAsync(new Block(Me, other), "Blocked.", ShowAgain, "");
    }

    /// <summary>Before removing a connection or blocking: what happens, to confirm.</summary>
    public ConfirmStep? Confirm { get; private set; }

    /// <summary>People found by name for an invitation (the same search as Compose).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>The search page to show: the cursor of the one before it (null: the first).</summary>
    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>The cursor of the search page after this one, when there is one.</summary>
    public string? NextPage { get; private set; }

    public IReadOnlyList<MemberView> Found { get; private set; } = [];

    private Task<string?> NameOfAsync(string other) => ReadAsync((e, _) => e.State.FindMember(other)?.Profile.Name).AsTask();

    public Task<IActionResult> OnPostUnblockAsync(string other) => RunThenRedirectAsync(new Unblock(Me, other), "Unblocked.", ShowAgain, "");

    public Task<IActionResult> OnPostJoinAsync(string group) => RunThenRedirectAsync(new JoinGroup(Me, group), "You joined the group.", ShowAgain, "");

    public Task<IActionResult> OnPostLeaveAsync(string group) => RunThenRedirectAsync(new LeaveGroup(Me, group), "You left the group.", ShowAgain, "");

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var me = Me;
        var inviters = await Store.InvitersOfAsync(me, HttpContext.RequestAborted);
        var found = await MemberSearch.PageAsync(Store, me, Q, After, HttpContext.RequestAborted);
        var candidates = found.Ids;
        NextPage = found.Next;
        var groupIds = await Store.GroupIdsAsync(HttpContext.RequestAborted);
        var loaded = await ReadAsync((e, now) =>
        {
            var m = e.State.FindMember(me)!;
            var notes = e.Notes(now, me).Value;
            string Name(string id) => e.State.FindMember(id)?.Profile.Name ?? id;
            return new
            {
                Connections = m.Connections.Select(c => View.Brief(e.State.FindMember(c)!)).OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList(),
                Received = inviters.Select(from => e.State.FindInvitation(from, me)).OfType<Domain.Network.Invitation>().OrderByDescending(i => i.SentAt).Select(i => new InvitationLine(View.Of(i), i.From, Name(i.From))).ToList(),
                Sent = e.State.InvitationsFrom(me).OrderByDescending(i => i.SentAt).Select(i => new InvitationLine(View.Of(i), i.To, Name(i.To))).ToList(),
                Groups = groupIds.Select(e.State.FindGroup).OfType<Domain.Network.Group>().OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(g => new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me))).ToList(),
                Blocked = m.Blocked.Select(b => View.Brief(e.State.FindMember(b)!)).ToList(),
                NoteMax = notes.Limits.BodyMaxLength,
                Notes = notes.PerMonth is { } perMonth ? (notes.UsedThisMonth, perMonth) : ((int, int)?)null,
                Found = MemberSearch.Find(e, now, me, candidates),
                Invitee = To is { Length: > 0 } to && e.State.FindMember(to.Trim()) is { } invitee ? invitee.Profile.Name : null,
            };
        });
        (Connections, Received, Sent, Groups, Blocked, NoteMax, Notes, Found, InviteeName) =
            (loaded.Connections, loaded.Received, loaded.Sent, loaded.Groups, loaded.Blocked, loaded.NoteMax, loaded.Notes, loaded.Found, loaded.Invitee);
    }
}
