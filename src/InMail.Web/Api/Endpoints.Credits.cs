using System.Globalization;
using InMail.Domain;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: credits, the ledger and balances.</summary>
public static partial class Endpoints
{
    /// <summary>Maps credits, balances and the ledger into <paramref name="api"/>.</summary>
    public static void MapCreditsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/credits", async Task<Results<Answer<CreditsView>, JsonHttpResult<BalanceView>, ProblemResult>> (HttpContext context, Runner run, string id, string? asOf) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if (SelfOrOperator(context, id, "credits") is { } refused)
            {
                return refused;
            }
            if (asOf is null)
            {
                var credits = await run.Store.ReadAsync<Outcome<CreditsView>>((e, now) => e.Credits(now, member) is var c && c.IsSuccess ? View.Of(c.Value) : c.Refusal,
                    context.RequestAborted);
                return credits.IsSuccess ? new Answer<CreditsView>(credits.Value) : Problems.Refused(credits.Refusal);
            }
            if (!TryInstant(asOf, out var at))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "asOf is an ISO-8601 instant with an offset, like 2026-03-01T09:00:00Z.");
            }
            var balance = await run.Store.ReadAsync<Outcome<BalanceView>>((e, now) => e.BalanceAsOf(now, member, at) is var b && b.IsSuccess
                ? new BalanceView(at, b.Value.Balance, View.Of(b.Value.Entries))
                : b.Refusal, context.RequestAborted);
            // Plain JSON, not an Answer: the document's 200 is the credits, and OpenApiContract adds the balance as its other form.
            return balance.IsSuccess ? TypedResults.Json(balance.Value, ApiJson.Options) : Problems.Refused(balance.Refusal);
        }).Doc("Your credits now (usable, frozen, lots, what may come back), or with asOf the balance then and the entries that explain it");

        api.MapGet("/members/{id}/ledger", async (HttpContext context, Runner run, string id, int? limit, long? before) =>
        {
            var member = Runner.Resolve(id, context.Who());
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            return SelfOrOperator(context, id, "ledger") ?? await run.Query<List<LedgerEntryView>>(context, (e, now) =>
            {
                if (e.MemberAt(now, member) is not { } m)
                {
                    return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{member}'.");
                }
                // Issue 9: one page from the ledger's rows (and what is not stored yet), never the whole history.
                var (entries, balanceBefore) = m.Wallet.LedgerPage(before, take);
                return View.Of(entries, balanceBefore);
            });
        }).Doc("The latest entries of your ledger (limit, at most 1000), oldest first, each with the balance after it; before=N pages back from entry N");
    }

    /// <summary>An absent query value is fine (null); a present one must be an instant.</summary>
    internal static bool TryOptionalInstant(string? text, out DateTimeOffset? at)
    {
        at = null;
        if (text is null)
        {
            return true;
        }
        if (!TryInstant(text, out var parsed))
        {
            return false;
        }
        at = parsed;
        return true;
    }

    private static bool TryInstant(string text, out DateTimeOffset at)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at)
            && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9);
        return ok;
    }
}
