using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: the member directory, profiles and settings.</summary>
public static partial class Endpoints
{
    /// <summary>Maps the member directory, profiles and settings into <paramref name="api"/>.</summary>
    public static void MapMembersApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members", async Task<Results<Answer<List<MemberView>>, ProblemResult>> (HttpContext context, Runner run, string? q, int? limit, string? cursor) =>
        {
            var me = context.Who().Member;
            var take = Math.Clamp(limit ?? 20, 1, 100);
            var query = (q ?? "").Trim();
            // The directory is a table, not memory (decision 007): find a page of ids there, then read the members.
            MemberSearchPage page;
            try
            {
                page = await run.Store.SearchMembersAsync(query, me, take, cursor, context.RequestAborted);
            }
            catch (FormatException e)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", e.Message);
            }
            if (page.Next is { } next)
            {
                // The next page as GitHub's API gives it: a Link header, so the answer stays a plain list.
                var link = $"/api/v1/members?q={Uri.EscapeDataString(query)}&limit={take}&cursor={Uri.EscapeDataString(next)}";
                context.Response.Headers.Append("Link", $"<{link}>; rel=\"next\"");
                context.Response.Headers.Append("X-Next-Cursor", next);
            }
            // Caught up: whether Open Profile works depends on a plan that may have ended.
            return await run.Query<List<MemberView>>(context, (e, now) =>
                page.Ids.Select(id => e.MemberAt(now, id)).OfType<Domain.Network.Member>()
                    .Where(m => m.Id != me && (query.Length == 0 || Matches(m, query)))
                    .Select(m => MemberView(e, m, me)).ToList());
        }).Doc("Finds members by name, headline or company, 20 a page (limit up to 100), by name: when there are more, the Link header (rel=next) and X-Next-Cursor give the next page's cursor");

        api.MapGet("/members/{id}", (HttpContext context, Runner run, string id) =>
        {
            var me = context.Who().Member;
            id = Runner.Resolve(id, context.Who());
            return run.Query<MemberView>(context, (e, now) => e.MemberAt(now, id) is { } m
                ? MemberView(e, m, me)
                : Refuse.With(RefusalCode.UnknownMember, $"There is no member '{id}'."));
        }).Doc("A member's public profile, and how they relate to you");

        api.MapPut("/members/{id}/profile", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "profile") ?? await run.Command(context,
                (ProfileBody b, Principal who) => new UpdateProfile(who.Member, b.Name, b.Headline, b.Company, b.TimeZone),
                (e, _, member) => MemberView(e, member, null)))
            .DocIn<ProfileBody>("Replaces your profile");

        api.MapGet("/members/{id}/settings", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "settings") ?? await run.Query<SettingsView>(context, (e, now) => Settings(e, e.MemberAt(now, context.Who().Member)!)))
            .Doc("Your Open Profile, InMail and group message settings");

        api.MapPatch("/members/{id}/settings", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "settings") ?? await run.Command(context,
                (SettingsBody b, Principal who) => new ChangeSettings(who.Member, b.OpenProfile, b.Inmail, b.GroupMessages),
                (e, _, member) => Settings(e, member)))
            .DocIn<SettingsBody>("Changes the settings you send; the others stay");
    }

    private static bool Matches(Domain.Network.Member m, string q) =>
        m.Id.Contains(q, StringComparison.OrdinalIgnoreCase) || m.Profile.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
        || (m.Profile.Headline?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
        || (m.Profile.Company?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);

    private static MemberView MemberView(InMailEngine e, Domain.Network.Member m, string? viewer)
    {
        var me = viewer is null ? null : e.State.FindMember(viewer);
        return new MemberView(m.Id, m.Profile.Name, m.Profile.Headline, m.Profile.Company, m.Profile.TimeZone, e.HasWorkingOpenProfile(m), m.InMailEnabled,
            me is null || me == m ? null : me.Connections.Contains(m.Id),
            me is null || me == m ? null : [.. me.Groups.Where(m.Groups.Contains).Order(StringComparer.Ordinal)],
            me is null || me == m ? null : me.Blocked.Contains(m.Id));
    }

    private static SettingsView Settings(InMailEngine e, Domain.Network.Member m) => new(m.OpenProfile, m.InMailEnabled, m.GroupMessagesEnabled, e.PlanOf(m).Id);

    /// <summary>Null when the path names the signed-in member; otherwise the refusal.</summary>
    internal static ProblemResult? Self(HttpContext context, string id, string what) =>
        Runner.Resolve(id, context.Who()) == context.Who().Member ? null : Runner.NotYours(what);

    /// <summary>Like <see cref="Self"/>, but operators may read too (support looks at balances and ledgers).</summary>
    internal static ProblemResult? SelfOrOperator(HttpContext context, string id, string what) =>
        context.Who().IsOperator ? null : Self(context, id, what);
}
