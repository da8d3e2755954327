using System.Globalization;
using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Web.Hosting;
using InMail.Storage;
using InMail.Web.Security;
using Microsoft.Extensions.Options;

namespace InMail.Web.Api;

/// <summary>The HTTP API, version 1: resources under <c>/api/v1</c>, JSON in and out, problems for every refusal.</summary>
public static class Endpoints
{
    public static void MapInMailApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var open = app.MapGroup("/api/v1").WithTags("InMail");
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("InMail");
        var ops = app.MapGroup("/api/v1/operator").RequireAuthorization(Authentication.OperatorPolicy).WithTags("Operator");

        MapAccounts(open, api);
        MapCatalog(open, ops);
        MapMembers(api);
        MapNetwork(api);
        MapPlans(api);
        MapTeams(api);
        MapMessaging(api);
        api.MapTemplates();
        api.MapSchedules();
        api.MapSequences();
        api.MapReports();
        api.MapLabels();
        api.MapAttachments();
        api.MapSnoozes();
        api.MapExports(ops);
        api.MapAdvice();
        api.MapOutreachCharts();
        api.MapNotifications();
        api.MapCounts();
        MapCredits(api);
        MapOperator(ops);
        ops.MapTestEndpoints();
    }

    // ---------------------------------------------------------------- accounts

    private static void MapAccounts(RouteGroupBuilder open, RouteGroupBuilder api)
    {
        open.MapPost("/auth/register", async (HttpContext context, Accounts accounts, Runner run) =>
        {
            var (read, problem) = await ApiJson.ReadAsync<RegisterBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            // One name per idea: the new member's id is `member`, as in /auth/token; `id` is still read until the next release.
            if ((read!.Member is null) == (read.Id is null))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Name the new member's id once, as member.");
            }
            var body = read;
            var memberId = (read.Member ?? read.Id)!;
            if (Accounts.CheckPassword(body!.Password) is { } bad)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", bad);
            }
            if (Accounts.ReservedIds.Contains(memberId))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "member-id-reserved", $"The id '{memberId}' is reserved; choose another.");
            }
            if (await run.Store.ReadAsync((e, _) => e.State.FindMemberIgnoringCase(memberId)?.Id, context.RequestAborted) is { } taken)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "member-id-taken", taken == memberId
                    ? $"The id '{memberId}' is taken; choose another."
                    : $"The id '{memberId}' differs only by case from '{taken}', which is taken; choose another.");
            }
            var outcome = await accounts.RegisterAsync(new AddMember(memberId, body.Name, Timezone: body.TimeZone, Headline: body.Headline, Company: body.Company), body.Password);
            if (!outcome.IsSuccess)
            {
                return Problems.Refused(outcome.Refusal);
            }
            var (token, expires) = await accounts.IssueAsync(new Principal(memberId, Roles.Member), context.RequestAborted);
            context.Response.Headers.Location = $"/api/v1/members/{memberId}";
            return Results.Json(new TokenView(token, "Bearer", expires, memberId, Roles.Member), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }).RequireRateLimiting(RateLimits.SignIn).Doc<RegisterBody, TokenView>("Creates a member who can sign in, and signs them in", StatusCodes.Status201Created);

        open.MapPost("/auth/token", async (HttpContext context, Accounts accounts) =>
        {
            var (who, refused) = await VerifyAsync(context, accounts);
            if (who is null)
            {
                return refused!;
            }
            var (token, expires) = await accounts.IssueAsync(who, context.RequestAborted);
            return Results.Json(new TokenView(token, "Bearer", expires, who.Member, who.Role), ApiJson.Options);
        }).RequireRateLimiting(RateLimits.SignIn).Doc<SignInBody, TokenView>("Signs in and returns a bearer access token");

        open.MapPost("/auth/sign-in", async (HttpContext context, Accounts accounts) =>
        {
            var (who, refused) = await VerifyAsync(context, accounts);
            if (who is null)
            {
                return refused!;
            }
            await context.SignInWithSessionAsync(accounts, who);
            return Results.NoContent();
        }).RequireRateLimiting(RateLimits.SignIn).DocIn<SignInBody>("Signs in with a session cookie (the web pages)", StatusCodes.Status204NoContent);

        api.MapPost("/auth/sign-out", async (HttpContext context, Accounts accounts) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                await accounts.RevokeAsync(header["Bearer ".Length..].Trim(), context.RequestAborted);
            }
            else
            {
                await context.SignOutSessionAsync(accounts);
            }
            return Results.NoContent();
        }).Doc("Revokes the bearer token, or ends the cookie session on the server (a copy of the cookie no longer works)", StatusCodes.Status204NoContent);

        api.MapGet("/auth/me", (HttpContext context, Runner run) =>
        {
            var who = context.Who();
            return run.Query(context, (e, now) =>
            {
                var member = e.State.FindMember(who.Member);
                if (member is null)
                {
                    return Refuse.With(RefusalCode.UnknownMember, "This account's member no longer exists.");
                }
                e.CatchUp(now, member);
                var team = e.State.FindTeam(member.TeamId);
                return new AccountView(member.Id, member.Profile.Name, who.Role, e.PlanOf(member).Id, team?.Id, team?.Admin == member.Id);
            });
        }).Doc<AccountView>("Who the request is signed in as");
    }

    /// <summary>Reads a sign-in body and checks the password: the principal, or the problem to answer with.</summary>
    private static async Task<(Principal? Who, IResult? Refused)> VerifyAsync(HttpContext context, Accounts accounts)
    {
        var (body, problem) = await ApiJson.ReadAsync<SignInBody>(context.Request);
        if (problem is not null)
        {
            return (null, problem);
        }
        var who = await accounts.VerifyAsync(body!.Member, body.Password, context.RequestAborted);
        return who is null
            ? (null, Problems.Of(StatusCodes.Status401Unauthorized, "invalid-credentials", "That member id and password do not match."))
            : (who, null);
    }

    // ---------------------------------------------------------------- catalog

    private static void MapCatalog(RouteGroupBuilder open, RouteGroupBuilder ops)
    {
        open.MapGet("/plans", (Runner run) =>
        {
            var catalog = run.Store.Catalog;
            var policy = catalog.Policy;
            return Results.Json(new CatalogView([.. catalog.Plans.Select(View.Of)],
                [.. policy.PackSizes.Select(size => new PackView(size, catalog.PackPriceCents(size) ?? 0))],
                policy.AllowanceLifetimeDays, policy.PurchaseLifetimeMonths, policy.RefundWindowDays), ApiJson.Options);
        }).Doc<CatalogView>("The plans, credit packs and credit lifetimes");

        ops.MapGet("/catalog", (Runner run) => Results.Json(new { plans = run.Store.Catalog.Plans, policy = run.Store.Catalog.Policy }, ApiJson.Options))
            .Doc<object>("The whole catalog with every policy number (operators)");
    }

    // ---------------------------------------------------------------- members

    private static void MapMembers(RouteGroupBuilder api)
    {
        api.MapGet("/members", async (HttpContext context, Runner run, string? q, int? limit, string? cursor) =>
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
            return await run.Query(context, (e, _) =>
                page.Ids.Select(e.State.FindMember).OfType<Domain.Network.Member>()
                    .Where(m => m.Id != me && (query.Length == 0 || Matches(m, query)))
                    .Select(m => MemberView(e, m, me)).ToList());
        }).Doc<List<MemberView>>("Finds members by name, headline or company, 20 a page (limit up to 100), by name: when there are more, the Link header (rel=next) and X-Next-Cursor give the next page's cursor");

        api.MapGet("/members/{id}", (HttpContext context, Runner run, string id) =>
        {
            var me = context.Who().Member;
            id = Runner.Resolve(id, context.Who());
            return run.Query(context, (e, _) => e.State.FindMember(id) is { } m
                ? MemberView(e, m, me)
                : Refuse.With(RefusalCode.UnknownMember, $"There is no member '{id}'."));
        }).Doc<MemberView>("A member's public profile, and how they relate to you");

        api.MapPut("/members/{id}/profile", (HttpContext context, Runner run, string id) =>
            Self(context, id, "profile") ?? run.Command<ProfileBody>(context,
                (b, who) => new UpdateProfile(who.Member, b.Name, b.Headline, b.Company, b.TimeZone),
                (e, _, r) => MemberView(e, (Domain.Network.Member)r, null)))
            .Doc<ProfileBody, MemberView>("Replaces your profile");

        api.MapGet("/members/{id}/settings", (HttpContext context, Runner run, string id) =>
            Self(context, id, "settings") ?? run.Query(context, (e, _) => Settings(e, e.State.FindMember(context.Who().Member)!)))
            .Doc<SettingsView>("Your Open Profile, InMail and group message settings");

        api.MapPatch("/members/{id}/settings", (HttpContext context, Runner run, string id) =>
            Self(context, id, "settings") ?? run.Command<SettingsBody>(context,
                (b, who) => new ChangeSettings(who.Member, b.OpenProfile, b.Inmail, b.GroupMessages),
                (e, _, r) => Settings(e, (Domain.Network.Member)r)))
            .Doc<SettingsBody, SettingsView>("Changes the settings you send; the others stay");
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
    internal static Task<IResult>? Self(HttpContext context, string id, string what) =>
        Runner.Resolve(id, context.Who()) == context.Who().Member ? null : Task.FromResult<IResult>(Runner.NotYours(what));

    /// <summary>Like <see cref="Self"/>, but operators may read too (support looks at balances and ledgers).</summary>
    internal static Task<IResult>? SelfOrOperator(HttpContext context, string id, string what) =>
        context.Who().IsOperator ? null : Self(context, id, what);

    // ---------------------------------------------------------------- network

    private static void MapNetwork(RouteGroupBuilder api)
    {
        api.MapGet("/members/{id}/connections", (HttpContext context, Runner run, string id) =>
            Self(context, id, "connections") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Connections.Select(c => View.Brief(e.State.FindMember(c)!))
                    .OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList()))
            .Doc<List<MemberBrief>>("Your connections");

        api.MapDelete("/members/{id}/connections/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "connections") ?? run.Command(context, new Disconnect(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Removes a connection", StatusCodes.Status204NoContent);

        api.MapGet("/members/{id}/invitations", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "invitations") is { } refused)
            {
                return await refused;
            }
            var me = context.Who().Member;
            // Invitations received are found in their table (decision 007); each is read from its sender.
            var inviters = await run.Store.InvitersOfAsync(me, context.RequestAborted);
            return await run.Query(context, (e, _) =>
            {
                var received = inviters.Select(from => e.State.FindInvitation(from, me)).OfType<Domain.Network.Invitation>();
                return new InvitationsView([.. received.OrderByDescending(i => i.SentAt).Select(View.Of)],
                    [.. e.State.InvitationsFrom(me).OrderByDescending(i => i.SentAt).Select(View.Of)]);
            });
        })
            .Doc<InvitationsView>("Invitations waiting for you, and yours waiting for others");

        api.MapPost("/members/{id}/invitations", (HttpContext context, Runner run, string id) =>
            Self(context, id, "invitations") ?? run.Command<InviteBody>(context, (b, who) => new Invite(who.Member, b.To, b.Note),
                (_, _, r) => View.Of((Domain.Network.Invitation)r), StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/invitations"))
            .Doc<InviteBody, InvitationView>("Invites a member to connect, with an optional note", StatusCodes.Status201Created);

        api.MapPost("/members/{id}/invitations/{from}/accept", (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? run.Command(context, new AcceptInvite(from, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Accepts an invitation: you are connected", StatusCodes.Status204NoContent);

        api.MapPost("/members/{id}/invitations/{from}/ignore", (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? run.Command(context, new IgnoreInvite(from, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Ignores an invitation", StatusCodes.Status204NoContent);

        api.MapDelete("/members/{id}/invitations/{to}", (HttpContext context, Runner run, string id, string to) =>
            Self(context, id, "invitations") ?? run.Command(context, new WithdrawInvite(context.Who().Member, to), NoBody, StatusCodes.Status204NoContent))
            .Doc("Withdraws an invitation you sent", StatusCodes.Status204NoContent);

        api.MapGet("/members/{id}/blocks", (HttpContext context, Runner run, string id) =>
            Self(context, id, "blocks") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Blocked.Select(b => View.Brief(e.State.FindMember(b)!)).ToList()))
            .Doc<List<MemberBrief>>("Members you blocked");

        api.MapPut("/members/{id}/blocks/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? run.Command(context, new Block(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Blocks a member: neither of you can message the other", StatusCodes.Status204NoContent);

        api.MapDelete("/members/{id}/blocks/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? run.Command(context, new Unblock(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Unblocks a member", StatusCodes.Status204NoContent);

        api.MapGet("/groups", async (HttpContext context, Runner run) =>
        {
            var me = context.Who().Member;
            var ids = await run.Store.GroupIdsAsync(context.RequestAborted);
            return await run.Query(context, (e, _) => ids.Select(e.State.FindGroup).OfType<Domain.Network.Group>().OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me))).ToList());
        }).Doc<List<GroupView>>("Every group, and whether you are in it");

        api.MapPost("/groups", (HttpContext context, Runner run) =>
            run.Command<GroupBody>(context, (b, who) => new CreateGroup(b.Id, b.Name, who.Member), GroupPresent(context), StatusCodes.Status201Created,
                _ => "/api/v1/groups"))
            .Doc<GroupBody, GroupView>("Creates a group; you are its first member", StatusCodes.Status201Created);

        api.MapPost("/groups/{group}/members", async (HttpContext context, Runner run, string group) =>
            // The script command creates a group it does not know; through the API a group must exist first.
            await run.Store.ReadAsync((e, _) => e.State.FindGroup(group) is null, context.RequestAborted)
                ? Problems.Of(StatusCodes.Status404NotFound, "unknown-group", $"There is no group '{group}'.")
                : await run.Command(context, new JoinGroup(context.Who().Member, group), GroupPresent(context)))
            .Doc<GroupView>("Joins a group");

        api.MapDelete("/groups/{group}/members/{id}", (HttpContext context, Runner run, string group, string id) =>
            Self(context, id, "group memberships") ?? run.Command(context, new LeaveGroup(context.Who().Member, group), NoBody, StatusCodes.Status204NoContent))
            .Doc("Leaves a group", StatusCodes.Status204NoContent);
    }

    private static Func<InMailEngine, DateTimeOffset, object, object> GroupPresent(HttpContext context)
    {
        var me = context.Who().Member;
        return (_, _, r) => r is Domain.Network.Group g ? new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me)) : r;
    }

    private static readonly Func<InMailEngine, DateTimeOffset, object, object> NoBody = (_, _, r) => r;

    private static string MessageAt(System.Text.Json.JsonElement message) => $"/api/v1/messages/{message.GetProperty("id").GetString()}";

    private static string TeamAt(System.Text.Json.JsonElement team) => $"/api/v1/teams/{team.GetProperty("id").GetString()}";

    // ---------------------------------------------------------------- plans

    private static void MapPlans(RouteGroupBuilder api)
    {
        api.MapGet("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Query(context, (e, now) => Subscription(e, now, context.Who().Member)))
            .Doc<SubscriptionView>("Your plan: personal or through a team seat (404 with no-subscription on the free plan)");

        api.MapPost("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Command<PlanBody>(context, (b, who) => new Subscribe(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member).Value, StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/subscription"))
            .Doc<PlanBody, SubscriptionView>("Subscribes to a paid plan; its first credits arrive at once", StatusCodes.Status201Created);

        api.MapPut("/members/{id}/subscription", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "subscription") is { } refused)
            {
                return await refused;
            }
            // A change to basic ends the subscription: the answer is that subscription, ending now (what it was is read first).
            var before = await run.Store.ReadAsync((e, now) => Subscription(e, now, context.Who().Member) is { IsSuccess: true, Value: SubscriptionView s } ? s : null,
                context.RequestAborted);
            return await run.Command<PlanBody>(context, (b, who) => new ChangePlan(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member) is { IsSuccess: true } s ? s.Value
                    : (object?)(before is null ? null : before with { EndsAt = now, NextGrantAt = now }) ?? new SubscriptionView("basic", "monthly", now, now, now, false));
        }).Doc<PlanBody, SubscriptionView>("Changes plan: to another paid plan at once; to basic, ends the subscription now (the answer is the ended subscription, endsAt now)");

        api.MapDelete("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Command(context, new Cancel(context.Who().Member), (_, _, r) => new CancelledView((DateTimeOffset)r)))
            .Doc<CancelledView>("Cancels at the end of the paid period");

        api.MapPost("/members/{id}/purchases", (HttpContext context, Runner run, string id) =>
            Self(context, id, "purchases") ?? run.Command<PurchaseBody>(context, (b, who) => new Buy(who.Member, b.Pack),
                (e, now, _) => View.Of(e.Credits(now, context.Who().Member).Value), StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/credits"))
            .Doc<PurchaseBody, CreditsView>("Buys a credit pack (lasts 12 months)", StatusCodes.Status201Created);
    }

    private static Outcome<object> Subscription(InMailEngine e, DateTimeOffset now, string member)
    {
        var m = e.State.FindMember(member)!;
        e.CatchUp(now, m);
        if (m.Subscription is { } s)
        {
            return View.Of(s, viaTeam: false);
        }
        return e.State.FindTeam(m.TeamId) is { IsActive: true } team
            ? View.Of(team.Subscription, viaTeam: true)
            : Refuse.With(RefusalCode.NoSubscription, $"{m.Profile.Name} is on the free plan.");
    }

    // ---------------------------------------------------------------- teams

    private static void MapTeams(RouteGroupBuilder api)
    {
        api.MapPost("/teams", (HttpContext context, Runner run) =>
            run.Command<TeamBody>(context, (b, who) => NewTeam(b, who), (_, _, r) => View.Of((Team)r), StatusCodes.Status201Created, TeamAt))
            .Doc<TeamBody, TeamView>("Creates a team on a team plan: you are its admin and hold a seat; every other member in seats is offered one, theirs once they accept",
                StatusCodes.Status201Created);

        api.MapGet("/teams/{team}", (HttpContext context, Runner run, string team) => run.Query(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: false) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value)))
            .Doc<TeamView>("A team: its seats, cap and pool (admins and seats only)");

        api.MapGet("/teams/{team}/ledger", (HttpContext context, Runner run, string team) => run.Query(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: true) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value.Pool.Ledger)))
            .Doc<List<LedgerEntryView>>("The pool's ledger (the admin only)");

        api.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command<SeatBody>(context, (b, _) => new OfferSeat(team, b.Member), (_, _, r) => View.Of((Team)r))))
            .Doc<SeatBody, TeamView>("Offers a member a seat, theirs once they accept it (the admin only)");

        api.MapDelete("/teams/{team}/seats/{member}", (HttpContext context, Runner run, string team, string member) =>
            Runner.Resolve(member, context.Who()) == context.Who().Member
                ? run.Command(context, new LeaveTeam(team, context.Who().Member), (_, _, r) => View.Of((Team)r))
                : AsAdmin(context, run, team, () => run.Command(context, new RemoveSeat(team, member), (_, _, r) => View.Of((Team)r))))
            .Doc<TeamView>("Takes a seat away (the admin), or with your own id leaves the team");

        api.MapGet("/members/{id}/seat-offers", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "seat offers") is { } refused)
            {
                return await refused;
            }
            // The offering teams are found in their table (decision 007), then read.
            var offering = await run.Store.TeamsOfferingAsync(context.Who().Member, context.RequestAborted);
            return await run.Query(context, (e, now) =>
            {
                var me = context.Who().Member;
                var offers = new List<SeatOfferView>();
                foreach (var t in offering.Select(e.State.FindTeam).OfType<Team>().Where(t => t.OfferTo(me) is not null).ToList())
                {
                    e.CatchUp(now, t); // a team that ended has withdrawn its offers
                    if (t.OfferTo(me) is { } offer)
                    {
                        offers.Add(View.Of(t, offer));
                    }
                }
                return offers.OrderBy(o => o.OfferedAt).ToList();
            });
        })
            .Doc<List<SeatOfferView>>("Seats teams offered you and you have not answered");

        api.MapPost("/members/{id}/seat-offers/{team}/accept", (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? run.Command(context, new AcceptSeat(team, context.Who().Member), (_, _, r) => View.Of((Team)r)))
            .Doc<TeamView>("Accepts a seat offered to you: your plan is the team's, your InMails spend from its pool");

        api.MapPost("/members/{id}/seat-offers/{team}/decline", (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? run.Command(context, new DeclineSeat(team, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Declines a seat offered to you", StatusCodes.Status204NoContent);

        api.MapPut("/teams/{team}/seat-cap", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command<SeatCapBody>(context, (b, _) => new SetSeatCap(team, b.SeatCap), (_, _, r) => View.Of((Team)r))))
            .Doc<SeatCapBody, TeamView>("Sets (or with null removes) how many pool credits a seat may spend per cycle (the admin only)");

        api.MapDelete("/teams/{team}", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command(context, new CancelTeam(team), (_, _, r) => new CancelledView((DateTimeOffset)r))))
            .Doc<CancelledView>("Cancels the team plan at the end of its paid period (the admin only)");
    }

    /// <summary>A member's new team: they hold a seat and are its admin; the others named are offered a seat, not given one.</summary>
    private static Outcome<Command> NewTeam(TeamBody b, Principal who)
    {
        if (b.Seats.Count(s => s == who.Member) != 1)
        {
            return Refuse.With(RefusalCode.InvalidInput, "You are the team's admin: name yourself once among its seats; the others are offered a seat.");
        }
        return new CreateTeam(b.Id, b.Plan, [who.Member], b.Billing, b.SeatCap, who.Member, [.. b.Seats.Where(s => s != who.Member)]);
    }

    private static Outcome<Team> TeamFor(InMailEngine e, DateTimeOffset now, string id, Principal who, bool adminOnly)
    {
        if (e.State.FindTeam(id) is not { } team)
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}'.");
        }
        e.CatchUp(now, team);
        var allowed = who.IsOperator || team.Admin == who.Member || (!adminOnly && team.HasSeat(who.Member));
        return allowed ? team : Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}' you can see.");
    }

    /// <summary>Runs <paramref name="change"/> when the signed-in member is the team's admin; otherwise the refusal (a team you cannot see is not found).</summary>
    private static async Task<IResult> AsAdmin(HttpContext context, Runner run, string team, Func<Task<IResult>> change)
    {
        var who = context.Who();
        var (exists, isAdmin, isSeat) = await run.Store.ReadAsync((e, _) =>
            e.State.FindTeam(team) is { } t ? (true, t.Admin == who.Member, t.HasSeat(who.Member)) : (false, false, false), context.RequestAborted);
        if (isAdmin)
        {
            return await change();
        }
        return exists && isSeat
            ? Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "Only the team's admin can change the team.")
            : Problems.Refused(Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{team}' you can see."));
    }

    // ---------------------------------------------------------------- messaging

    private static void MapMessaging(RouteGroupBuilder api)
    {
        api.MapPost("/quotes", async (HttpContext context, Runner run) =>
        {
            var (body, problem) = await ApiJson.ReadAsync<MessageBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var me = context.Who().Member;
            var files = await Uploads.ResolveAsync(run.Store, me, body!.Attachments, context.RequestAborted);
            if (!files.IsSuccess)
            {
                return Problems.Refused(files.Refusal);
            }
            return await run.Query(context, (e, now) => e.Quote(now, new Draft(me, body.To, body.Subject, body.Body, body.Template) { Attachments = files.Value }) is var q
                && q.IsSuccess ? View.Of(q.Value) : q.Refusal);
        }).Doc<MessageBody, QuoteView>("What a send would cost and by which path, without sending (the same checks as a send)");

        api.MapPost("/messages", (HttpContext context, Runner run) =>
            run.CommandAsync<MessageBody>(context, async (b, who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Send(who.Member, b.To, b.Subject, b.Body, Template: b.Template, Attachments: files.Value)
                        : files.Refusal,
                (_, _, r) => View.Of((Sent)r), StatusCodes.Status201Created, sent => MessageAt(sent.GetProperty("message"))))
            .Doc<MessageBody, SentView>("Sends a message or an InMail; send an Idempotency-Key to retry safely", StatusCodes.Status201Created);

        api.MapGet("/messages/{message}", (HttpContext context, Runner run, string message) =>
        {
            var me = context.Who().Member;
            return run.Query(context, (e, _) => e.State.FindMessage(message) is { } m && (m.From == me || m.To == me)
                ? View.Of(m)
                : Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{message}' of yours."));
        }).Doc<MessageView>("One of your messages");

        api.MapPost("/messages/{message}/responses", (HttpContext context, Runner run, string message) =>
            run.CommandAsync<RespondBody>(context, async (b, who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Respond(who.Member, message, b.Kind, b.Body, files.Value)
                        : files.Refusal,
                (_, _, r) => View.Of((Responded)r), StatusCodes.Status201Created, responded => MessageAt(responded.GetProperty("response"))))
            .Doc<RespondBody, RespondedView>("Replies to, accepts or declines an InMail sent to you (its credit goes back to the sender)", StatusCodes.Status201Created);

        api.MapPost("/messages/{message}/spam-reports", (HttpContext context, Runner run, string message) =>
            run.Command(context, new ReportSpam(context.Who().Member, message), (_, _, r) => View.Of((Message)r), StatusCodes.Status201Created, MessageAt))
            .Doc<MessageView>("Reports an InMail sent to you as spam", StatusCodes.Status201Created);

        api.MapPut("/messages/{message}/outcome", (HttpContext context, Runner run, string message) =>
            run.Command<OutcomeBody>(context, (b, who) => new MarkOutcome(who.Member, message, b.Outcome),
                (_, _, r) => View.OutcomeOf((Message)r)))
            .Doc<OutcomeBody, OutcomeView>("Marks the outcome of an InMail you sent: positive, meeting-booked, or none to clear (SPEC §9)");

        api.MapGet("/members/{id}/outreach", (HttpContext context, Runner run, string id, string? from, string? to) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if (SelfOrOperator(context, id, "outreach") is { } refused)
            {
                return refused;
            }
            if (!TryOptionalInstant(from, out var start) || !TryOptionalInstant(to, out var end))
            {
                return Task.FromResult<IResult>(Problems.Of(StatusCodes.Status400BadRequest, "invalid-input",
                    "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z."));
            }
            // From the tables, as the Results page reads it (decision 014): a member's history never loads into memory.
            return OutreachFromTablesAsync(context, run, member, start, end);
        }).Doc<OutreachView>("Outreach measures over the InMails you sent, with from ≤ sent < to (SPEC §9): rates, reply times, credits, cost per reply");

        static async Task<IResult> OutreachFromTablesAsync(HttpContext context, Runner run, string member, DateTimeOffset? start, DateTimeOffset? end)
        {
            var history = await run.Store.OutreachAsync(member, _ => (start, end), context.RequestAborted);
            return history.IsSuccess ? Results.Json(View.Of(history.Value.Report), ApiJson.Options) : Problems.Refused(history.Refusal);
        }

        api.MapGet("/conversations", async Task<IResult> (HttpContext context, Runner run, string? filter, bool? archived, int? limit, int? offset, string? cursor, string? q, string? label) =>
        {
            var me = context.Who().Member;
            int? labelId = null;
            if (label is not null)
            {
                // The label's name, without regard to case, is the member's to resolve; the tables hold its id.
                var found = await run.Store.ReadAsync<Outcome<int>>((e, _) => e.State.FindMember(me)?.FindLabel(label) is { } l ? l.Id : Refuse.With(RefusalCode.InvalidInput, $"You have no label '{label}'."),
                    context.RequestAborted);
                if (!found.IsSuccess)
                {
                    return Problems.Refused(found.Refusal);
                }
                labelId = found.Value;
            }
            if (filter is not (null or "all" or "inmail" or "unread" or "snoozed"))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "filter is all, inmail, unread or snoozed.");
            }
            if (offset is not null)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Pages follow each other by cursor: pass the page's next as cursor (offset is no longer taken).");
            }
            var which = archived == true ? InboxFilter.Archive : filter switch { "inmail" => InboxFilter.InMail, "unread" => InboxFilter.Unread, "snoozed" => InboxFilter.Snoozed, _ => InboxFilter.All };
            InboxPage page;
            try
            {
                // Issue 9: a page of the inbox comes from the tables; only its conversations are read into memory.
                page = await run.Store.InboxAsync(me, which, q, cursor, Math.Clamp(limit ?? 50, 1, CommandStore.MaxInboxPage), context.RequestAborted, labelId);
            }
            catch (FormatException e)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", e.Message);
            }
            return await run.Query(context, (e, _) =>
                new ConversationPage([.. page.Pairs.Select(p => e.State.FindConversation(p)).OfType<Domain.Messaging.Conversation>().Select(c => View.Of(c, me, e.State))],
                    page.Total, page.UnreadMessages, page.Next));
        }).Doc<ConversationPage>("Your inbox (or archive), newest first, 50 a page (next is the cursor of the following page), with unread counts; filter=inmail shows conversations with InMails, q searches names and messages, label= shows those carrying one of your labels");

        api.MapGet("/conversations/{other}", (HttpContext context, Runner run, string other) =>
        {
            var me = context.Who().Member;
            return run.Query(context, (e, _) => e.State.FindConversation(me, other) is { } c
                ? new ThreadView(View.Brief(e.State.FindMember(other)!), c.IsArchivedFor(me), [.. c.Messages.Select(View.Of)])
                : Refuse.With(RefusalCode.UnknownMember, $"You have no conversation with '{other}'."));
        }).Doc<ThreadView>("A conversation's messages, oldest first");

        api.MapPost("/conversations/{other}/read", (HttpContext context, Runner run, string other) =>
            run.Command(context, new MarkRead(context.Who().Member, other), (_, _, r) => new ReadView((int)r)))
            .Doc<ReadView>("Marks the messages you received in a conversation as read");

        api.MapPut("/conversations/{other}/archived", (HttpContext context, Runner run, string other) =>
            run.Command<ArchiveBody>(context, (b, who) => new Archive(who.Member, other, b.Archived),
                (e, _, r) => View.Of((Conversation)r, context.Who().Member, e.State)))
            .Doc<ArchiveBody, ConversationView>("Moves a conversation into or out of your archive");
    }

    // ---------------------------------------------------------------- credits

    private static void MapCredits(RouteGroupBuilder api)
    {
        api.MapGet("/members/{id}/credits", (HttpContext context, Runner run, string id, string? asOf) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if (SelfOrOperator(context, id, "credits") is { } refused)
            {
                return refused;
            }
            if (asOf is null)
            {
                return run.Query(context, (e, now) => e.Credits(now, member) is var c && c.IsSuccess ? View.Of(c.Value) : c.Refusal);
            }
            if (!TryInstant(asOf, out var at))
            {
                return Task.FromResult<IResult>(Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "asOf is an ISO-8601 instant with an offset, like 2026-03-01T09:00:00Z."));
            }
            return run.Query(context, (e, now) => e.BalanceAsOf(now, member, at) is var b && b.IsSuccess
                ? new BalanceView(at, b.Value.Balance, View.Of(b.Value.Entries))
                : b.Refusal);
        }).Doc<CreditsView>("Your credits now (usable, frozen, lots, what may come back), or with asOf the balance then and the entries that explain it");

        api.MapGet("/members/{id}/ledger", (HttpContext context, Runner run, string id, int? limit, long? before) =>
        {
            var member = Runner.Resolve(id, context.Who());
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            return SelfOrOperator(context, id, "ledger") ?? run.Query(context, (e, now) =>
            {
                if (e.State.FindMember(member) is not { } m)
                {
                    return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{member}'.");
                }
                e.CatchUp(now, m);
                // Issue 9: one page from the ledger's rows (and what is not stored yet), never the whole history.
                var (entries, balanceBefore) = m.Wallet.LedgerPage(before, take);
                return View.Of(entries, balanceBefore);
            });
        }).Doc<List<LedgerEntryView>>("The latest entries of your ledger (limit, at most 1000), oldest first, each with the balance after it; before=N pages back from entry N");
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

    // ---------------------------------------------------------------- operator

    private static void MapOperator(RouteGroupBuilder ops)
    {
        ops.MapPost("/members/{id}/bonuses", (HttpContext context, Runner run, string id) =>
            run.Command<BonusBody>(context, (b, _) => new GrantBonus(id, b.Credits, b.Days, b.Reason),
                (_, _, r) => View.Of((Lot)r), StatusCodes.Status201Created, _ => $"/api/v1/members/{id}/credits"))
            .Doc<BonusBody, LotView>("Grants bonus credits that last the given days (operators)", StatusCodes.Status201Created);

        ops.MapPost("/teams", (HttpContext context, Runner run) =>
            run.Command<OperatorTeamBody>(context, (b, _) => new CreateTeam(b.Id, b.Plan, b.Seats, b.Billing, b.SeatCap, b.Admin, b.Offers),
                (_, _, r) => View.Of((Team)r), StatusCodes.Status201Created, TeamAt))
            .Doc<OperatorTeamBody, TeamView>("Creates a team whose seats are held at once, as an import would (operators)", StatusCodes.Status201Created);

        ops.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            run.Command<SeatBody>(context, (b, _) => new AddSeat(team, b.Member), (_, _, r) => View.Of((Team)r)))
            .Doc<SeatBody, TeamView>("Gives a member a seat without an offer, as an import would (operators)");

        ops.MapPost("/connections", (HttpContext context, Runner run) =>
            run.Command<ConnectBody>(context, (b, _) => new Connect(b.A, b.B), NoBody, StatusCodes.Status204NoContent))
            .DocIn<ConnectBody>("Connects two members directly, as an import would (operators)", StatusCodes.Status204NoContent);

        ops.MapGet("/clock", (ServiceClock clock, IOptions<ServiceOptions> options) =>
            Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant()), ApiJson.Options))
            .Doc<ClockView>("The service's clock");

        ops.MapPost("/clock/advance", async (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
        {
            if (options.Value.Mode == ServiceMode.Live)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "not-in-demo-mode", "The clock can only be moved in demo or test mode.");
            }
            var (body, problem) = await ApiJson.ReadAsync<ClockAdvanceBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            // In minutes, as a long: hours and minutes are bounded by the total, not by an overflow.
            var minutes = ((long)body!.Days * 24 + body.Hours) * 60 + body.Minutes;
            if (body.Days < 0 || body.Hours < 0 || body.Minutes < 0 || minutes == 0 || minutes > 3660L * 24 * 60)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Move the clock forward by something, and by at most 3660 days in all (days plus hours and minutes).");
            }
            var target = clock.GetUtcNow() + TimeSpan.FromMinutes(minutes);
            if (!clock.CanSet(target))
            {
                return TooFar(clock);
            }
            await due.AdvanceToAsync(target, context.RequestAborted); // due work on the way runs at its own instant
            return Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant()), ApiJson.Options);
        }).Doc<ClockAdvanceBody, ClockView>("Moves the clock forward so renewals, expiries and refund windows can be seen (demo and test modes)");

        ops.MapPut("/clock", async (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
        {
            if (options.Value.Mode != ServiceMode.Test)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "not-in-test-mode", "The clock can only be set to an instant in test mode.");
            }
            var (body, problem) = await ApiJson.ReadAsync<ClockSetBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var now = clock.GetUtcNow();
            if (body!.At < now)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "clock-backwards", "The clock never goes back.");
            }
            if (!clock.CanSet(body.At))
            {
                return TooFar(clock);
            }
            await due.AdvanceToAsync(body.At, context.RequestAborted); // due work on the way runs at its own instant
            return Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, "test"), ApiJson.Options);
        }).Doc<ClockSetBody, ClockView>("Sets the clock to an instant (test mode, for scenario scripts)");
    }

    private static ProblemResult TooFar(ServiceClock clock) => Problems.Of(StatusCodes.Status409Conflict, "clock-too-far",
        $"The clock goes at most a century ahead of the real time; it is {clock.Offset.TotalDays:0} days ahead now.");
}
