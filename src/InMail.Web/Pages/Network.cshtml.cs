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

    public Task<IActionResult> OnPostDisconnectAsync(string other) => RunThenRedirectAsync(new Disconnect(Me, other), "Connection removed.", ShowAgain, "");

    public Task<IActionResult> OnPostBlockAsync(string other) => RunThenRedirectAsync(new Block(Me, other), "Blocked.", ShowAgain, "");

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
        var groupIds = await Store.GroupIdsAsync(HttpContext.RequestAborted);
        var loaded = await ReadAsync((e, now) =>
        {
            var m = e.State.FindMember(me)!;
            e.CatchUp(now, m);
            string Name(string id) => e.State.FindMember(id)?.Profile.Name ?? id;
            var policy = e.Catalog.Policy;
            var paid = e.IsPaid(m);
            return new
            {
                Connections = m.Connections.Select(c => View.Brief(e.State.FindMember(c)!)).OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList(),
                Received = inviters.Select(from => e.State.FindInvitation(from, me)).OfType<Domain.Network.Invitation>().OrderByDescending(i => i.SentAt).Select(i => new InvitationLine(View.Of(i), i.From, Name(i.From))).ToList(),
                Sent = e.State.InvitationsFrom(me).OrderByDescending(i => i.SentAt).Select(i => new InvitationLine(View.Of(i), i.To, Name(i.To))).ToList(),
                Groups = groupIds.Select(e.State.FindGroup).OfType<Domain.Network.Group>().OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(g => new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me))).ToList(),
                Blocked = m.Blocked.Select(b => View.Brief(e.State.FindMember(b)!)).ToList(),
                NoteMax = paid ? policy.PaidNoteMaxLength : policy.BasicNoteMaxLength,
                Notes = paid ? ((int, int)?)null : (m.NotesSent.CountIn(now), policy.BasicNotesPerMonth),
            };
        });
        (Connections, Received, Sent, Groups, Blocked, NoteMax, Notes) =
            (loaded.Connections, loaded.Received, loaded.Sent, loaded.Groups, loaded.Blocked, loaded.NoteMax, loaded.Notes);
    }
}
