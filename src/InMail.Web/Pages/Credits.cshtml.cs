using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A ledger entry with its sentence.</summary>
public sealed record HistoryLine(LedgerEntryView Entry, string Text);

/// <summary>A credit that may come back, with the recipient's name.</summary>
public sealed record Returning(MayComeBackView InMail, string To);

/// <summary>Credits: the balance, live lots in spending order, what may come back, the ledger as history, and buying a pack.</summary>
public sealed class CreditsModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public int Pack { get; set; }

    public CreditsView Credits { get; private set; } = null!;

    public IReadOnlyList<Returning> MayComeBack { get; private set; } = [];

    public IReadOnlyList<HistoryLine> History { get; private set; } = [];

    public IReadOnlyList<PackView> Packs { get; private set; } = [];

    public bool Paid { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostBuyAsync() =>
        await RunThenRedirectAsync(new Buy(Me, Pack), $"You bought a pack of {Pack} credits.", async () =>
        {
            await LoadAsync();
            return Page();
        }, "pack");

    private async Task LoadAsync()
    {
        var me = Me;
        var loaded = await ReadAsync((e, now) =>
        {
            var credits = View.Of(e.Credits(now, me).Value);
            var member = e.State.FindMember(me)!;
            var history = View.Of(member.Wallet.Ledger).Select(l => new HistoryLine(l, Words.Explain(l, e.State))).Reverse().ToList();
            var back = credits.MayComeBack.Select(m => new Returning(m, e.State.FindMember(m.To)?.Profile.Name ?? m.To)).ToList();
            var packs = e.Catalog.Policy.PackSizes.Select(size => new PackView(size, e.Catalog.PackPriceCents(size) ?? 0)).ToList();
            return (credits, back, history, packs, e.IsPaid(member), now);
        });
        (Credits, MayComeBack, History, Packs, Paid, Now) = loaded;
    }
}
