using InMail.Domain;
using InMail.Domain.Network;
using InMail.Web.Api;

namespace InMail.Web.Pages;

/// <summary>Finding a member by name, company or headline: one search for every page that picks a person (Compose, inviting).</summary>
public static class MemberSearch
{
    /// <summary>The most members one search lists.</summary>
    public const int MaxResults = 20;

    /// <summary>Members other than <paramref name="me"/> whose name, company or headline holds <paramref name="query"/>, by name.</summary>
    public static IReadOnlyList<MemberView> Find(InMailEngine e, string me, string? query)
    {
        ArgumentNullException.ThrowIfNull(e);
        var q = (query ?? "").Trim();
        if (q.Length == 0)
        {
            return [];
        }
        return [.. e.State.Members
            .Where(m => m.Id != me && (m.Profile.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (m.Profile.Company?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
                || (m.Profile.Headline?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)))
            .OrderBy(m => m.Profile.Name, StringComparer.OrdinalIgnoreCase).Take(MaxResults).Select(m => View(e, me, m))];
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
