using InMail.Domain;
using InMail.Domain.Network;
using InMail.Web.Api;

namespace InMail.Web.Pages;

/// <summary>Finding a member by name, company or headline: one search for every page that picks a person (Compose, inviting).</summary>
public static class MemberSearch
{
    /// <summary>The most members one search lists.</summary>
    public const int MaxResults = 20;

    /// <summary>
    /// The ids of members other than <paramref name="me"/> whose name, company or headline holds
    /// <paramref name="query"/>, by name: found in the members table, since memory holds only the
    /// working set (decision 007).
    /// </summary>
    public static async Task<IReadOnlyList<string>> CandidatesAsync(Storage.CommandStore store, string me, string? query, CancellationToken cancellationToken) =>
        (await PageAsync(store, me, query, null, cancellationToken)).Ids;

    /// <summary>
    /// A page of <see cref="MaxResults"/> candidates after the page whose next cursor is <paramref name="cursor"/>; a
    /// cursor this search did not make starts from the first page (a page link, unlike the API, has no error to show).
    /// </summary>
    public static async Task<Storage.MemberSearchPage> PageAsync(Storage.CommandStore store, string me, string? query, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var q = (query ?? "").Trim();
        if (q.Length == 0)
        {
            return new([], null);
        }
        try
        {
            return await store.SearchMembersAsync(q, me, MaxResults, cursor, cancellationToken);
        }
        catch (FormatException)
        {
            return await store.SearchMembersAsync(q, me, MaxResults, null, cancellationToken);
        }
    }

    /// <summary>
    /// The <paramref name="candidates"/> (from <see cref="CandidatesAsync"/>) as <paramref name="me"/> sees them at
    /// <paramref name="now"/>, by name (caught up: whether Open Profile works depends on a plan that may have ended).
    /// </summary>
    public static IReadOnlyList<MemberView> Find(InMailEngine e, DateTimeOffset now, string me, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Select(id => e.MemberAt(now, id)).OfType<Member>().Where(m => m.Id != me)
            .OrderBy(m => m.Profile.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id, StringComparer.Ordinal).Take(MaxResults).Select(m => View(e, me, m))];
    }

    /// <summary>A member as <paramref name="me"/> sees them: connected, shared groups, Open Profile, blocked.</summary>
    public static MemberView View(InMailEngine e, string me, Member m)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(m);
        var viewer = e.State.FindMember(me)!;
        return new(m.Id, m.Profile.Name, m.Profile.Headline, m.Profile.Company, m.Profile.TimeZone,
            e.HasWorkingOpenProfile(m), m.InMailEnabled, viewer.Connections.Contains(m.Id), [.. viewer.Groups.Where(m.Groups.Contains)], viewer.Blocked.Contains(m.Id));
    }
}
