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

    /// <summary>Before buying: the pack, its total price and how long it lasts, to confirm.</summary>
    public ConfirmStep? Confirm { get; private set; }

    public async Task<IActionResult> OnPostBuyAsync(bool confirmed)
    {
        await LoadAsync();
        if (Pack == 0)
        {
            // Nothing is chosen for the member: an empty choice is a question back, not a purchase.
            Show(InMail.Domain.Refuse.With(InMail.Domain.RefusalCode.InvalidInput, "Choose a pack size first."), "pack");
            return Page();
        }
        if (!confirmed && Paid && Packs.FirstOrDefault(p => p.Credits == Pack) is { } pack)
        {
            var lasts = Time.Day(InMail.Domain.Time.UtcCalendar.AddMonths(Now, PurchaseLifetimeMonths));
            Confirm = new ConfirmStep($"Buy {pack.Credits} credits for {Words.Money(pack.PriceCents)}?",
                [$"You pay {Words.Money(pack.PriceCents)} now: {pack.Credits} credits at {Words.Money(pack.PriceCents / pack.Credits)} each. Nothing is refunded.",
                 $"They are usable at once, outside your plan's cap, and last {PurchaseLifetimeMonths} months, until {lasts}."],
                "/credits?handler=Buy", [("Pack", pack.Credits.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                $"Confirm: pay {Words.Money(pack.PriceCents)}", "/credits#buy");
            return Page();
        }
        return await RunThenRedirectAsync(new Buy(Me, Pack), $"You bought a pack of {Pack} credits.", () => Task.FromResult<IActionResult>(Page()), "pack");
    }

    /// <summary>How long a bought pack lasts (the catalog's policy).</summary>
    public int PurchaseLifetimeMonths { get; private set; }

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
            return (credits, back, history, packs, e.IsPaid(member), now, e.Catalog.Policy.PurchaseLifetimeMonths);
        });
        (Credits, MayComeBack, History, Packs, Paid, Now, PurchaseLifetimeMonths) = loaded;
    }
}
