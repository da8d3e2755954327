using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: registration, tokens, sessions and the signed-in account.</summary>
public static partial class Endpoints
{
    /// <summary>Maps registration, sign-in and the signed-in account: the anonymous ones into <paramref name="open"/>, the rest into <paramref name="api"/>.</summary>
    public static void MapAccountsApi(this RouteGroupBuilder open, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(api);
        open.MapPost("/auth/register", async Task<Results<CreatedAnswer<TokenView>, ProblemResult>> (HttpContext context, Accounts accounts, Runner run) =>
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
            return new CreatedAnswer<TokenView>(new TokenView(token, "Bearer", expires, memberId, Roles.Member), $"/api/v1/members/{memberId}");
        }).RequireRateLimiting(RateLimits.SignIn).DocIn<RegisterBody>("Creates a member who can sign in, and signs them in");

        open.MapPost("/auth/token", async Task<Results<Answer<TokenView>, ProblemResult>> (HttpContext context, Accounts accounts) =>
        {
            var (who, refused) = await VerifyAsync(context, accounts);
            if (who is null)
            {
                return refused!;
            }
            var (token, expires) = await accounts.IssueAsync(who, context.RequestAborted);
            return new Answer<TokenView>(new TokenView(token, "Bearer", expires, who.Member, who.Role));
        }).RequireRateLimiting(RateLimits.SignIn).DocIn<SignInBody>("Signs in and returns a bearer access token");

        open.MapPost("/auth/sign-in", async Task<Results<NoContent, ProblemResult>> (HttpContext context, Accounts accounts) =>
        {
            var (who, refused) = await VerifyAsync(context, accounts);
            if (who is null)
            {
                return refused!;
            }
            await context.SignInWithSessionAsync(accounts, who);
            return TypedResults.NoContent();
        }).RequireRateLimiting(RateLimits.SignIn).DocIn<SignInBody>("Signs in with a session cookie (the web pages)");

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
            return TypedResults.NoContent();
        }).Doc("Revokes the bearer token, or ends the cookie session on the server (a copy of the cookie no longer works)");

        api.MapGet("/auth/me", (HttpContext context, Runner run) =>
        {
            var who = context.Who();
            return run.Query<AccountView>(context, (e, now) =>
            {
                var member = e.MemberAt(now, who.Member);
                if (member is null)
                {
                    return Refuse.With(RefusalCode.UnknownMember, "This account's member no longer exists.");
                }
                var team = e.State.FindTeam(member.TeamId);
                return new AccountView(member.Id, member.Profile.Name, who.Role, e.PlanOf(member).Id, team?.Id, team?.Admin == member.Id);
            });
        }).Doc("Who the request is signed in as");
    }

    /// <summary>Reads a sign-in body and checks the password: the principal, or the problem to answer with.</summary>
    private static async Task<(Principal? Who, ProblemResult? Refused)> VerifyAsync(HttpContext context, Accounts accounts)
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
}
