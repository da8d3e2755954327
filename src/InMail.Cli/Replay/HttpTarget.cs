using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InMail.Domain;
using InMail.Domain.Messaging;

namespace InMail.Cli.Replay;

/// <summary>The server cannot run the script (unreachable, not in test mode, not fresh, clock ahead, failing): exit 2, not a failed check.</summary>
public sealed class ServerException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs scenario steps through the HTTP API of a server in test mode, as the members themselves:
/// each <c>member</c> step registers an account (with a generated password) and the target keeps its
/// bearer token, so every later step is the request that member would make. Steps that no member can
/// make (<c>connect</c>, <c>grant</c>) go as the operator, who also sets the clock to each step's
/// instant and reads credits and the whole state (<c>GET /api/v1/operator/state</c>). A refusal is
/// the problem response's <c>code</c>, the same SPEC §7 code the in-memory engine gives.
/// </summary>
/// <remarks>
/// Where a script and the API differ, the target bridges the gap:
/// <list type="bullet">
/// <item>Scripts name their messages; the server names its own. The target keeps a map both ways, so
/// later steps can name them and the state it reports uses the script's names.</item>
/// <item>A member the script never created has no account, so nobody can act as them: such a step is
/// refused here with <c>unknown-member</c>, as the engine refuses it (<c>respond</c> and
/// <c>report-spam</c> go as the operator instead, whom the engine then refuses exactly as it would
/// refuse a stranger).</item>
/// <item>A <c>join-group</c> of a group that does not exist yet creates it (<c>POST /groups</c>), as
/// the script command does; a <c>group</c> step without a member is created by the operator, who then
/// leaves it.</item>
/// <item>The operator is a member of the server but not of the script: the state the target reports
/// leaves the operator out.</item>
/// </list>
/// </remarks>
public sealed partial class HttpTarget : IScenarioTarget
{
    public const string OperatorId = "operator";
    public const string DefaultOperatorPassword = "test-operator-password";
    public const string OperatorPasswordVariable = "INMAIL_OPERATOR_PASSWORD";

    /// <summary>The verbs this target knows how to say over HTTP (every script verb but <c>expect</c>, which reads).</summary>
    public static IReadOnlySet<string> Verbs { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "member", "set", "profile", "connect", "disconnect", "invite", "accept-invite", "ignore-invite", "withdraw-invite",
        "group", "join-group", "leave-group", "block", "unblock", "subscribe", "change-plan", "cancel",
        "team", "team-add", "team-offer", "team-accept", "team-decline", "team-leave", "team-remove", "team-cap", "team-cancel", "buy", "grant", "send", "quote", "respond", "report-spam", "mark", "read", "archive",
        "template", "delete-template", "coach", "schedule", "cancel-schedule", "sequence", "delete-sequence", "enroll", "unenroll",
        "label", "create-label", "rename-label", "delete-label", "read-notifications", "snooze", "unsnooze", "remind", "cancel-reminder",
    };

    private const string ProblemJson = "application/problem+json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly HttpClient _http;
    private readonly string _operatorToken;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _teamAdmins = new(StringComparer.Ordinal);

    /// <summary>Script message name → the server's message id (sends the script named; responses under the name the engine gives them).</summary>
    private readonly Dictionary<string, string> _toServer = new(StringComparer.Ordinal);

    /// <summary>The server's message id → the script's name for it.</summary>
    private readonly Dictionary<string, string> _toScript = new(StringComparer.Ordinal);

    private long _engineMessageSequence;
    private long _serverMessagesNamed;
    private DateTimeOffset? _clock;

    private HttpTarget(HttpClient http, string operatorToken)
    {
        _http = http;
        _operatorToken = operatorToken;
    }

    /// <summary>
    /// Signs the operator in and checks that the server can run a script that starts at
    /// <paramref name="firstInstant"/>: it is in test mode, it holds no member but the operator (every
    /// script runs on a fresh system), and its clock is not past that instant (it never goes back).
    /// </summary>
    public static async Task<HttpTarget> ConnectAsync(HttpClient http, string operatorPassword, DateTimeOffset firstInstant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var signIn = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/token", null,
            new JsonObject { ["member"] = OperatorId, ["password"] = operatorPassword }, cancellationToken).ConfigureAwait(false);
        if (!signIn.Ok)
        {
            throw new ServerException(signIn.Status == HttpStatusCode.Unauthorized
                ? $"the operator '{OperatorId}' cannot sign in with that password (--operator-password, or {OperatorPasswordVariable})"
                : $"signing the operator in failed: {signIn.Describe()}");
        }
        var target = new HttpTarget(http, signIn.Body!["accessToken"]!.GetValue<string>());

        var state = await target.CallAsync(HttpMethod.Get, "/api/v1/operator/state?activity=true", target._operatorToken, null, cancellationToken).ConfigureAwait(false);
        if (!state.Ok)
        {
            throw new ServerException(state.Code == "not-in-test-mode"
                ? "the server is not in test mode; start it with --test-mode (and --InMail:ClockStart=2000-01-01T00:00:00Z)"
                : $"reading the server's state failed: {state.Describe()}");
        }
        var others = state.Body!["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).Where(id => id != OperatorId).ToList();
        if (others.Count > 0 || state.Body["teams"]!.AsArray().Count > 0 || state.Body["messages"]!.GetValue<int>() > 0)
        {
            throw new ServerException($"the server is not fresh: it already has {others.Count} member(s) besides the operator"
                + $" ({string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", …" : "")}); a script runs on an empty system, so start a new server on a new database for each script");
        }

        var clock = await target.CallAsync(HttpMethod.Get, "/api/v1/operator/clock", target._operatorToken, null, cancellationToken).ConfigureAwait(false);
        var now = clock.Ok ? clock.Body!["now"]!.GetValue<DateTimeOffset>() : throw new ServerException($"reading the server's clock failed: {clock.Describe()}");
        if (now > firstInstant)
        {
            throw new ServerException($"the server's clock is at {now:O}, after the script's first step at {firstInstant:O}, and it never goes back;"
                + " start the server with --InMail:ClockStart=2000-01-01T00:00:00Z");
        }
        return target;
    }

    public async ValueTask<StepResult> RunAsync(Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        await SetClockAsync(step.At, cancellationToken).ConfigureAwait(false);
        return step.Verb switch
        {
            "member" => await RegisterAsync(step, cancellationToken).ConfigureAwait(false),
            "set" => await AsAsync(step.Require("member"), HttpMethod.Patch, $"/api/v1/members/{E(step.Require("member"))}/settings",
                Body(step, "openProfile", "inmail", "groupMessages"), cancellationToken).ConfigureAwait(false),
            "profile" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/members/{E(step.Require("member"))}/profile",
                Renamed(Body(step, "name", "headline", "company", "timezone"), "timezone", "timeZone"), cancellationToken).ConfigureAwait(false),
            "connect" => Result(await CallAsync(HttpMethod.Post, "/api/v1/operator/connections", _operatorToken,
                Body(step, "a", "b"), cancellationToken).ConfigureAwait(false)),
            "disconnect" => await AsAsync(step.Require("a"), HttpMethod.Delete, $"/api/v1/members/{E(step.Require("a"))}/connections/{E(step.Require("b"))}",
                null, cancellationToken).ConfigureAwait(false),
            "invite" => await AsAsync(step.Require("from"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("from"))}/invitations",
                Body(step, "to", "note"), cancellationToken).ConfigureAwait(false),
            "accept-invite" => await AsAsync(step.Require("to"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("to"))}/invitations/{E(step.Require("from"))}/accept",
                null, cancellationToken).ConfigureAwait(false),
            "ignore-invite" => await AsAsync(step.Require("to"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("to"))}/invitations/{E(step.Require("from"))}/ignore",
                null, cancellationToken).ConfigureAwait(false),
            "withdraw-invite" => await AsAsync(step.Require("from"), HttpMethod.Delete, $"/api/v1/members/{E(step.Require("from"))}/invitations/{E(step.Require("to"))}",
                null, cancellationToken).ConfigureAwait(false),
            "group" => await CreateGroupAsync(step, cancellationToken).ConfigureAwait(false),
            "join-group" => await JoinGroupAsync(step, cancellationToken).ConfigureAwait(false),
            "leave-group" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/groups/{E(step.Require("group"))}/members/{E(step.Require("member"))}",
                null, cancellationToken).ConfigureAwait(false),
            "block" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/members/{E(step.Require("member"))}/blocks/{E(step.Require("blocks"))}",
                null, cancellationToken).ConfigureAwait(false),
            "unblock" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/members/{E(step.Require("member"))}/blocks/{E(step.Require("blocks"))}",
                null, cancellationToken).ConfigureAwait(false),
            "subscribe" => await AsAsync(step.Require("member"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("member"))}/subscription",
                Body(step, "plan", "billing"), cancellationToken).ConfigureAwait(false),
            "change-plan" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/members/{E(step.Require("member"))}/subscription",
                Body(step, "plan", "billing"), cancellationToken).ConfigureAwait(false),
            "cancel" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/members/{E(step.Require("member"))}/subscription",
                null, cancellationToken).ConfigureAwait(false),
            "team" => await CreateTeamAsync(step, cancellationToken).ConfigureAwait(false),
            // A script's team-add seats a member without asking, as an import does: that is the operator's to do.
            "team-add" => TeamResult(step.Require("team"), await CallAsync(HttpMethod.Post, $"/api/v1/operator/teams/{E(step.Require("team"))}/seats",
                _operatorToken, Body(step, "member"), cancellationToken).ConfigureAwait(false)),
            "team-offer" => await AsAdminAsync(step, HttpMethod.Post, "/seats", Body(step, "member"), cancellationToken).ConfigureAwait(false),
            "team-accept" => await AsAsync(step.Require("member"), HttpMethod.Post,
                $"/api/v1/members/{E(step.Require("member"))}/seat-offers/{E(step.Require("team"))}/accept", null, cancellationToken).ConfigureAwait(false),
            "team-decline" => await AsAsync(step.Require("member"), HttpMethod.Post,
                $"/api/v1/members/{E(step.Require("member"))}/seat-offers/{E(step.Require("team"))}/decline", null, cancellationToken).ConfigureAwait(false),
            "team-leave" => TeamResult(step.Require("team"), await AsMemberAsync(step.Require("member"), HttpMethod.Delete,
                $"/api/v1/teams/{E(step.Require("team"))}/seats/{E(step.Require("member"))}", cancellationToken).ConfigureAwait(false)),
            "team-remove" => await AsAdminAsync(step, HttpMethod.Delete, $"/seats/{E(step.Require("member"))}", null, cancellationToken).ConfigureAwait(false),
            // The body names seatCap even when the step leaves it out: null lifts the cap, as the command does.
            "team-cap" => await AsAdminAsync(step, HttpMethod.Put, "/seat-cap", new JsonObject { ["seatCap"] = step.Number("seatCap") }, cancellationToken).ConfigureAwait(false),
            "team-cancel" => await AsAdminAsync(step, HttpMethod.Delete, "", null, cancellationToken).ConfigureAwait(false),
            "buy" => await AsAsync(step.Require("member"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("member"))}/purchases",
                Body(step, "pack"), cancellationToken).ConfigureAwait(false),
            "grant" => Result(await CallAsync(HttpMethod.Post, $"/api/v1/operator/members/{E(step.Require("member"))}/bonuses", _operatorToken,
                Body(step, "credits", "days", "reason"), cancellationToken).ConfigureAwait(false)),
            "send" => await SendMessageAsync(step, cancellationToken).ConfigureAwait(false),
            "quote" => await AsAsync(step.Require("from"), HttpMethod.Post, "/api/v1/quotes",
                Body(step, "to", "subject", "body", "template"), cancellationToken, PathAndCost).ConfigureAwait(false),
            "schedule" => await AsAsync(step.Require("from"), HttpMethod.Post, "/api/v1/schedules",
                Body(step, "id", "to", "subject", "body", "template", "sendAt", "window"), cancellationToken).ConfigureAwait(false),
            "cancel-schedule" => await AsAsync(step.Require("member"), HttpMethod.Delete,
                $"/api/v1/members/{E(step.Require("member"))}/schedules/{E(step.Require("schedule"))}", null, cancellationToken).ConfigureAwait(false),
            "sequence" => await AsAsync(step.Require("member"), HttpMethod.Put,
                $"/api/v1/members/{E(step.Require("member"))}/sequences/{E(step.Require("id"))}", Body(step, "steps", "window", "budget"), cancellationToken).ConfigureAwait(false),
            "delete-sequence" => await AsAsync(step.Require("member"), HttpMethod.Delete,
                $"/api/v1/members/{E(step.Require("member"))}/sequences/{E(step.Require("id"))}", null, cancellationToken).ConfigureAwait(false),
            "enroll" => await AsAsync(step.Require("member"), HttpMethod.Post,
                $"/api/v1/members/{E(step.Require("member"))}/sequences/{E(step.Require("sequence"))}/enrollments", Body(step, "to", "recipients"), cancellationToken).ConfigureAwait(false),
            "unenroll" => await AsAsync(step.Require("member"), HttpMethod.Delete,
                $"/api/v1/members/{E(step.Require("member"))}/sequences/{E(step.Require("sequence"))}/enrollments/{E(step.Require("to"))}", null, cancellationToken).ConfigureAwait(false),
            "read-notifications" => await AsAsync(step.Require("member"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("member"))}/notifications/read",
                Body(step, "upTo"), cancellationToken).ConfigureAwait(false),
            "snooze" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/conversations/{E(step.Require("with"))}/snooze",
                Body(step, "until"), cancellationToken).ConfigureAwait(false),
            "unsnooze" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/conversations/{E(step.Require("with"))}/snooze",
                null, cancellationToken).ConfigureAwait(false),
            "remind" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/conversations/{E(step.Require("with"))}/reminder",
                Body(step, "remindAt", "unlessReply"), cancellationToken).ConfigureAwait(false),
            "cancel-reminder" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/conversations/{E(step.Require("with"))}/reminder",
                null, cancellationToken).ConfigureAwait(false),
            "label" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/conversations/{E(step.Require("with"))}/labels",
                Body(step, "add", "remove"), cancellationToken).ConfigureAwait(false),
            "create-label" => await AsAsync(step.Require("member"), HttpMethod.Post, $"/api/v1/members/{E(step.Require("member"))}/labels",
                Body(step, "name"), cancellationToken).ConfigureAwait(false),
            "rename-label" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/members/{E(step.Require("member"))}/labels/{E(step.Require("name"))}",
                new JsonObject { ["name"] = step.Require("to") }, cancellationToken).ConfigureAwait(false),
            "delete-label" => await AsAsync(step.Require("member"), HttpMethod.Delete, $"/api/v1/members/{E(step.Require("member"))}/labels/{E(step.Require("name"))}",
                null, cancellationToken).ConfigureAwait(false),
            "template" => await AsAsync(step.Require("member"), HttpMethod.Put,
                $"/api/v1/members/{E(step.Require("member"))}/templates/{E(step.Require("id"))}", Body(step, "subject", "body"), cancellationToken).ConfigureAwait(false),
            "delete-template" => await AsAsync(step.Require("member"), HttpMethod.Delete,
                $"/api/v1/members/{E(step.Require("member"))}/templates/{E(step.Require("id"))}", null, cancellationToken).ConfigureAwait(false),
            "coach" => await AsAsync(step.Require("from"), HttpMethod.Post, "/api/v1/coach", Body(step, "to", "subject", "body", "template"), cancellationToken,
                coached => StepResult.Ok() with { Findings = coached["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()).ToList() }).ConfigureAwait(false),
            "respond" => await RespondAsync(step, cancellationToken).ConfigureAwait(false),
            "report-spam" => (await ToMessageAsync(step, "spam-reports", null, cancellationToken).ConfigureAwait(false)).Result,
            "mark" => await MarkAsync(step, cancellationToken).ConfigureAwait(false),
            "read" => await AsAsync(step.Require("member"), HttpMethod.Post, $"/api/v1/conversations/{E(step.Require("with"))}/read",
                null, cancellationToken).ConfigureAwait(false),
            "archive" => await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/conversations/{E(step.Require("with"))}/archived",
                new JsonObject { ["archived"] = step.Flag("archived") ?? true }, cancellationToken).ConfigureAwait(false),
            _ => throw new NotSupportedException($"line {step.Line}: the verb '{step.Verb}' has no HTTP mapping"),
        };
    }

    public async ValueTask<MemberCredits?> InspectAsync(DateTimeOffset at, string member, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        var reply = await CallAsync(HttpMethod.Get, $"/api/v1/members/{E(member)}/credits", _operatorToken, null, cancellationToken).ConfigureAwait(false);
        if (reply.Code == "unknown-member")
        {
            return null;
        }
        if (!reply.Ok)
        {
            throw new ServerException($"reading {member}'s credits failed: {reply.Describe()}");
        }
        var body = reply.Body!;
        var lots = body["lots"]!.AsArray()
            .Select(l => new LotView(l!["source"]!.GetValue<string>(), l["remaining"]!.GetValue<int>(), l["expires"]!.GetValue<DateTimeOffset>().ToUniversalTime()))
            .ToList();
        return new MemberCredits(body["usable"]!.GetValue<int>(), body["frozen"]!.GetValue<int>(), lots);
    }

    public async ValueTask<string?> FingerprintAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        return await StateAsync(includeActivity: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The server's state at its clock's now, in the words of <c>StateJson</c>, as the script sees it:
    /// without the operator, and with the script's names for messages.
    /// </summary>
    public async Task<string> StateAsync(bool includeActivity, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(HttpMethod.Get, $"/api/v1/operator/state?activity={(includeActivity ? "true" : "false")}", _operatorToken, null, cancellationToken)
            .ConfigureAwait(false);
        if (!reply.Ok)
        {
            throw new ServerException($"reading the server's state failed: {reply.Describe()}");
        }
        var state = reply.Body!.AsObject();
        NameEngineMessagesUpTo(ServerNames().Matches(state.ToJsonString()).Select(m => ServerNumber(m.Value)).DefaultIfEmpty(0).Max());
        var members = state["members"]!.AsArray();
        foreach (var self in members.Where(m => m!["id"]!.GetValue<string>() == OperatorId).ToList())
        {
            members.Remove(self);
        }
        foreach (var wallet in members.Concat(state["teams"]!.AsArray()))
        {
            foreach (var entry in wallet!["ledger"]!.AsArray())
            {
                Rename(entry!.AsObject(), "message");
                Rename(entry.AsObject(), "note");
            }
        }
        Rename(state, "messageStates");
        foreach (var member in members)
        {
            Rename(member!.AsObject(), "schedules");
            Rename(member.AsObject(), "sequences");
            Rename(member.AsObject(), "notifications");
        }
        return state.ToJsonString(Indented);
    }

    // ---------------------------------------------------------------- steps that need more than one request

    private async Task<StepResult> RegisterAsync(Step step, CancellationToken cancellationToken)
    {
        var id = step.Require("id");
        var body = Body(step, "id", "name", "headline", "company", "timezone");
        Rename(body, "id", "member"); // the API's names: the member's id is `member`, the zone `timeZone`
        Rename(body, "timezone", "timeZone");
        var password = "replay-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        body["password"] = password;
        var registered = await CallAsync(HttpMethod.Post, "/api/v1/auth/register", null, body, cancellationToken).ConfigureAwait(false);
        if (!registered.Ok)
        {
            return Result(registered);
        }
        _tokens[id] = registered.Body!["accessToken"]!.GetValue<string>();
        // Registration takes a profile; the settings a member step may carry are the member's first change.
        var settings = Body(step, "inmail", "groupMessages");
        return settings.Count == 0
            ? StepResult.Ok()
            : await AsAsync(id, HttpMethod.Patch, $"/api/v1/members/{E(id)}/settings", settings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepResult> CreateGroupAsync(Step step, CancellationToken cancellationToken)
    {
        var body = Body(step, "id", "name");
        if (step.Text("member") is { } member)
        {
            return await AsAsync(member, HttpMethod.Post, "/api/v1/groups", body, cancellationToken).ConfigureAwait(false);
        }
        // Through the API a group's creator joins it; a group the script creates with nobody in it is
        // created by the operator, who leaves it again.
        var created = await CallAsync(HttpMethod.Post, "/api/v1/groups", _operatorToken, body, cancellationToken).ConfigureAwait(false);
        if (!created.Ok)
        {
            return Result(created);
        }
        return Result(await CallAsync(HttpMethod.Delete, $"/api/v1/groups/{E(step.Require("id"))}/members/{OperatorId}", _operatorToken, null, cancellationToken)
            .ConfigureAwait(false));
    }

    private async Task<StepResult> JoinGroupAsync(Step step, CancellationToken cancellationToken)
    {
        var member = step.Require("member");
        var group = step.Require("group");
        if (!_tokens.TryGetValue(member, out var token))
        {
            return NoSuchMember(member);
        }
        var joined = await CallAsync(HttpMethod.Post, $"/api/v1/groups/{E(group)}/members", token, null, cancellationToken).ConfigureAwait(false);
        if (joined.Code != "unknown-group")
        {
            return Result(joined);
        }
        // A script names a group by joining it: the first join creates it (and the creator joins).
        return Result(await CallAsync(HttpMethod.Post, "/api/v1/groups", token, new JsonObject { ["id"] = group, ["name"] = group }, cancellationToken)
            .ConfigureAwait(false));
    }

    /// <summary>
    /// A script's team holds its seats at once, as an import makes it; through the API a member's
    /// team only offers seats to the others, so the operator creates it (the engine's refusals are the same).
    /// </summary>
    private async Task<StepResult> CreateTeamAsync(Step step, CancellationToken cancellationToken)
    {
        var body = Body(step, "id", "plan", "billing", "seatCap", "admin");
        body["seats"] = new JsonArray([.. step.Strings("seats").Select(s => JsonValue.Create(s))]);
        if (step.Fields.ContainsKey("offers"))
        {
            body["offers"] = new JsonArray([.. step.Strings("offers").Select(s => JsonValue.Create(s))]);
        }
        var created = await CallAsync(HttpMethod.Post, "/api/v1/operator/teams", _operatorToken, body, cancellationToken).ConfigureAwait(false);
        return TeamResult(step.Require("id"), created);
    }

    /// <summary>A team step, as the team's admin; for a team the script never made, as the operator, whom the server tells there is no such team.</summary>
    private async Task<StepResult> AsAdminAsync(Step step, HttpMethod method, string rest, JsonObject? body, CancellationToken cancellationToken)
    {
        var team = step.Require("team");
        var token = _teamAdmins.TryGetValue(team, out var admin) && _tokens.TryGetValue(admin, out var t) ? t : _operatorToken;
        return TeamResult(team, await CallAsync(method, $"/api/v1/teams/{E(team)}{rest}", token, body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A team step's result; a team that answers remembers its admin, who changes when the admin leaves.</summary>
    private StepResult TeamResult(string team, Reply reply)
    {
        if (reply.Ok && reply.Body?["admin"] is { } admin)
        {
            _teamAdmins[team] = admin.GetValue<string>();
        }
        return Result(reply);
    }

    /// <summary>A request by a member the script created; for anyone else, the operator's, so the server refuses as the engine does.</summary>
    private Task<Reply> AsMemberAsync(string member, HttpMethod method, string path, CancellationToken cancellationToken) =>
        CallAsync(method, path, _tokens.GetValueOrDefault(member, _operatorToken), null, cancellationToken);

    private async Task<StepResult> SendMessageAsync(Step step, CancellationToken cancellationToken)
    {
        var name = step.Require("id");
        // The engine checks a script's message name before anything else; the server never sees it.
        if (!Identifiers.IsValid(name))
        {
            return StepResult.Refused("invalid-input", Identifiers.Rule("message id"));
        }
        if (_toServer.ContainsKey(name))
        {
            return StepResult.Refused("invalid-input", $"A message '{name}' already exists.");
        }
        var from = step.Require("from");
        if (!_tokens.TryGetValue(from, out var token))
        {
            return NoSuchMember(from);
        }
        var body = Body(step, "to", "subject", "body", "template");
        var (files, refused) = await UploadFilesAsync(step, token, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }
        if (files is not null)
        {
            body["attachments"] = files;
        }
        var sent = await CallAsync(HttpMethod.Post, "/api/v1/messages", token, body, cancellationToken).ConfigureAwait(false);
        if (!sent.Ok)
        {
            return Result(sent);
        }
        Name(name, sent.Body!["message"]!["id"]!.GetValue<string>());
        return PathAndCost(sent.Body["quote"]!);
    }

    private async Task<StepResult> RespondAsync(Step step, CancellationToken cancellationToken)
    {
        var body = Body(step, "kind", "body");
        if (step.Fields.ContainsKey("attachments"))
        {
            var (files, refused) = await UploadFilesAsync(step, _tokens.GetValueOrDefault(step.Require("member"), _operatorToken), cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }
            body["attachments"] = files;
        }
        var (responded, answer) = await ToMessageAsync(step, "responses", body, cancellationToken).ConfigureAwait(false);
        if (responded.Refusal is null)
        {
            NameEngineMessagesUpTo(ServerNumber(answer!["response"]!["id"]!.GetValue<string>()));
        }
        return responded;
    }

    /// <summary>
    /// The files a step names by what they are (<c>name</c>, <c>size</c>, <c>type</c>), uploaded as the
    /// member before the send: bytes of that type and exactly that size (<see cref="FileBytes"/>). The
    /// server judges them by those bytes, as it would a real file; its refusal is the step's.
    /// </summary>
    private async Task<(JsonArray? Ids, StepResult? Refused)> UploadFilesAsync(Step step, string? token, CancellationToken cancellationToken)
    {
        if (!step.Fields.TryGetValue("attachments", out var files))
        {
            return (null, null);
        }
        var ids = new JsonArray();
        foreach (var file in files.EnumerateArray())
        {
            var name = file.GetProperty("name").GetString()!;
            var bytes = new ByteArrayContent(FileBytes(file.GetProperty("type").GetString()!, file.GetProperty("size").GetInt64()));
            bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var reply = await CallContentAsync(HttpMethod.Post, $"/api/v1/members/me/attachments?name={E(name)}", token, bytes, cancellationToken).ConfigureAwait(false);
            if (!reply.Ok)
            {
                return (null, Result(reply));
            }
            ids.Add(reply.Body!["id"]!.GetValue<string>());
        }
        return (ids, null);
    }

    /// <summary>
    /// Bytes of exactly <paramref name="size"/> that show <paramref name="type"/>: the type's signature,
    /// padded. A DOCX is a ZIP package whose padding entry is sized to fit. Any other type gets a Windows
    /// program's header, which the server refuses as a renamed program.
    /// </summary>
    public static byte[] FileBytes(string type, long size)
    {
        if (size <= 0 || size > 64L * 1024 * 1024)
        {
            return [];
        }
        byte[] head = type switch
        {
            AttachmentTypes.Pdf => "%PDF-1.7\n"u8.ToArray(),
            AttachmentTypes.Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            AttachmentTypes.Jpeg => [0xFF, 0xD8, 0xFF, 0xE0],
            AttachmentTypes.Text => [],
            AttachmentTypes.Docx => Docx(size),
            _ => [(byte)'M', (byte)'Z', 0x90, 0x00],
        };
        if (head.Length >= size)
        {
            return head.Length == size ? head : head[..(int)size];
        }
        var bytes = new byte[size];
        head.CopyTo(bytes, 0);
        bytes.AsSpan(head.Length).Fill(type == AttachmentTypes.Text ? (byte)'x' : (byte)0);
        return bytes;
    }

    /// <summary>A DOCX of exactly <paramref name="size"/> bytes when it can be that small: two parts, and a stored (uncompressed) padding part.</summary>
    private static byte[] Docx(long size)
    {
        byte[] Build(int pad)
        {
            using var buffer = new MemoryStream();
            using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var part in new[] { "[Content_Types].xml", "word/document.xml" })
                {
                    using var writer = new StreamWriter(zip.CreateEntry(part, System.IO.Compression.CompressionLevel.NoCompression).Open());
                    writer.Write("<x/>");
                }
                using var padding = zip.CreateEntry("word/media/pad.bin", System.IO.Compression.CompressionLevel.NoCompression).Open();
                padding.Write(new byte[pad]);
            }
            return buffer.ToArray();
        }
        var bare = Build(0);
        return bare.Length >= size ? bare : Build((int)(size - bare.Length));
    }

    /// <summary>The sender's mark on an InMail's outcome; refusals name the message as the script does.</summary>
    private async Task<StepResult> MarkAsync(Step step, CancellationToken cancellationToken)
    {
        var name = step.Require("message");
        var id = ServerMessage(name);
        var result = await AsAsync(step.Require("member"), HttpMethod.Put, $"/api/v1/messages/{E(id)}/outcome", Body(step, "outcome"), cancellationToken)
            .ConfigureAwait(false);
        return result.Refusal is null ? result : StepResult.Refused(result.Refusal, (result.Message ?? "").Replace($"'{id}'", $"'{name}'", StringComparison.Ordinal));
    }

    /// <summary>
    /// A response or a spam report, by the recipient. Someone the script never created cannot sign in,
    /// so the operator asks instead: the engine then refuses as it refuses a stranger (the message is
    /// unknown, or not theirs).
    /// </summary>
    private async Task<(StepResult Result, JsonNode? Answer)> ToMessageAsync(Step step, string what, JsonObject? body, CancellationToken cancellationToken)
    {
        var name = step.Require("message");
        var id = ServerMessage(name);
        var token = _tokens.GetValueOrDefault(step.Require("member"), _operatorToken);
        var reply = await CallAsync(HttpMethod.Post, $"/api/v1/messages/{E(id)}/{what}", token, body, cancellationToken).ConfigureAwait(false);
        return reply.Ok
            ? (StepResult.Ok(), reply.Body)
            : (StepResult.Refused(reply.Code!, (reply.Detail ?? "").Replace($"'{id}'", $"'{name}'", StringComparison.Ordinal)), null);
    }

    // ---------------------------------------------------------------- requests

    /// <summary>The server runs due work when its clock is set, stopping at each due instant on the way (test mode).</summary>
    public async ValueTask RunDueAsync(DateTimeOffset at, CancellationToken cancellationToken) => await SetClockAsync(at, cancellationToken).ConfigureAwait(false);

    public async ValueTask<ScheduleCheck?> InspectScheduleAsync(DateTimeOffset at, string member, string id, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        if (!_tokens.TryGetValue(member, out var token))
        {
            return null;
        }
        var reply = await CallAsync(HttpMethod.Get, $"/api/v1/members/{E(member)}/schedules/{E(id)}", token, null, cancellationToken).ConfigureAwait(false);
        if (reply.Code == "unknown-schedule")
        {
            return null;
        }
        if (!reply.Ok)
        {
            throw new ServerException($"reading {member}'s scheduled send {id} failed: {reply.Describe()}");
        }
        var message = reply.Body!["messageId"]?.GetValue<string>();
        if (message is not null)
        {
            NameEngineMessagesUpTo(ServerNumber(message));
        }
        return new ScheduleCheck(reply.Body["status"]!.GetValue<string>(), reply.Body["code"]?.GetValue<string>(),
            message is not null && _toScript.TryGetValue(message, out var name) ? name : message);
    }

    public async ValueTask<IReadOnlyList<(string Kind, DateTimeOffset At)>?> InspectNotificationsAsync(DateTimeOffset at, string member, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        if (!_tokens.TryGetValue(member, out var token))
        {
            return null;
        }
        var reply = await CallAsync(HttpMethod.Get, $"/api/v1/members/{E(member)}/notifications", token, null, cancellationToken).ConfigureAwait(false);
        if (!reply.Ok)
        {
            throw new ServerException($"reading {member}'s notifications failed: {reply.Describe()}");
        }
        return reply.Body!["items"]!.AsArray()
            .Select(n => (n!["kind"]!.GetValue<string>(), DateTimeOffset.Parse(n["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    public async ValueTask<IReadOnlyList<string>?> InspectInboxAsync(DateTimeOffset at, string member, string? label, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        if (!_tokens.TryGetValue(member, out var token))
        {
            return null;
        }
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var query = $"/api/v1/conversations?limit=200{(label is null ? "" : "&label=" + E(label))}{(cursor is null ? "" : "&cursor=" + E(cursor))}";
            var reply = await CallAsync(HttpMethod.Get, query, token, null, cancellationToken).ConfigureAwait(false);
            if (reply.Code == "invalid-input" && label is not null)
            {
                return []; // a label the member does not have: no conversation carries it
            }
            if (!reply.Ok)
            {
                throw new ServerException($"reading {member}'s inbox failed: {reply.Describe()}");
            }
            ids.AddRange(reply.Body!["conversations"]!.AsArray().Select(c => c!["with"]!["id"]!.GetValue<string>()));
            cursor = reply.Body["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return ids;
    }

    public async ValueTask<EnrollmentCheck?> InspectEnrollmentAsync(DateTimeOffset at, string member, string sequence, string to, CancellationToken cancellationToken)
    {
        await SetClockAsync(at, cancellationToken).ConfigureAwait(false);
        if (!_tokens.TryGetValue(member, out var token))
        {
            return null;
        }
        var reply = await CallAsync(HttpMethod.Get, $"/api/v1/members/{E(member)}/sequences/{E(sequence)}/enrollments/{E(to)}", token, null, cancellationToken).ConfigureAwait(false);
        if (reply.Code is "unknown-sequence" or "not-enrolled")
        {
            return null;
        }
        if (!reply.Ok)
        {
            throw new ServerException($"reading {member}'s enrolment of {to} in {sequence} failed: {reply.Describe()}");
        }
        return new EnrollmentCheck(reply.Body!["status"]!.GetValue<string>(), reply.Body["step"]!.GetValue<int>(),
            reply.Body["reason"]?.GetValue<string>(), reply.Body["variant"]?.GetValue<string>());
    }

    private async Task SetClockAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_clock == at)
        {
            return;
        }
        var set = await CallAsync(HttpMethod.Put, "/api/v1/operator/clock", _operatorToken, new JsonObject { ["at"] = at.ToUniversalTime() }, cancellationToken)
            .ConfigureAwait(false);
        if (!set.Ok)
        {
            throw new ServerException($"setting the server's clock to {at:O} failed: {set.Describe()}");
        }
        _clock = at;
    }

    /// <summary>A step made by <paramref name="member"/>: refused here if the script never created them, since nobody can sign in as them.</summary>
    private async Task<StepResult> AsAsync(string member, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken,
        Func<JsonNode, StepResult>? success = null)
    {
        if (!_tokens.TryGetValue(member, out var token))
        {
            return NoSuchMember(member);
        }
        var reply = await CallAsync(method, path, token, body, cancellationToken).ConfigureAwait(false);
        return reply.Ok && success is not null ? success(reply.Body!) : Result(reply);
    }

    private static StepResult NoSuchMember(string member) => StepResult.Refused("unknown-member", $"There is no member '{member}' (the script never created them, so nobody can sign in as them).");

    private static StepResult Result(Reply reply) => reply.Ok ? StepResult.Ok() : StepResult.Refused(reply.Code!, reply.Detail ?? "");

    private static StepResult PathAndCost(JsonNode quote) => StepResult.Ok(quote["path"]!.GetValue<string>(), quote["cost"]!.GetValue<int>());

    /// <summary>
    /// One request of a step. A 2xx is success; a problem response that refuses (400, 403, 404, 409,
    /// 422, or 429 with a SPEC §7 code) is the step's refusal. Anything else — a sign-in that no longer
    /// holds, the sign-in rate limit, a server error, an answer that is not a problem — means the
    /// server cannot run the script, not that the step was refused.
    /// </summary>
    private Task<Reply> CallAsync(HttpMethod method, string path, string? token, JsonObject? body, CancellationToken cancellationToken) =>
        CallContentAsync(method, path, token, Json(body), cancellationToken);

    /// <summary>Like <see cref="CallAsync"/>, with any body (an upload's bytes).</summary>
    private async Task<Reply> CallContentAsync(HttpMethod method, string path, string? token, HttpContent? content, CancellationToken cancellationToken)
    {
        var reply = await SendContentAsync(_http, method, path, token, content, cancellationToken).ConfigureAwait(false);
        if (!reply.Ok && !reply.IsRefusal)
        {
            var hint = reply.Code == "rate-limited" ? " (start the server with a higher --InMail:SignInsPerMinute, e.g. 10000)" : "";
            throw new ServerException($"{method} {path}: {reply.Describe()}{hint}");
        }
        return reply;
    }

    /// <summary>One request and its answer; only no answer at all (or one that is not JSON) throws.</summary>
    private static Task<Reply> SendAsync(HttpClient http, HttpMethod method, string path, string? token, JsonObject? body, CancellationToken cancellationToken) =>
        SendContentAsync(http, method, path, token, Json(body), cancellationToken);

    private static StringContent? Json(JsonObject? body) => body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<Reply> SendContentAsync(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        request.Content = content;
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ServerException($"cannot reach the server at {http.BaseAddress}: {e.Message}", e);
        }
        using (response)
        {
            JsonNode? json;
            try
            {
                json = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new ServerException($"{method} {path}: the answer ({(int)response.StatusCode}) is not JSON", e);
            }
            if (response.IsSuccessStatusCode)
            {
                return new Reply(response.StatusCode, json, null, null);
            }
            var problem = response.Content.Headers.ContentType?.MediaType == ProblemJson;
            return new Reply(response.StatusCode, json, problem ? json?["code"]?.GetValue<string>() : null, problem ? json?["detail"]?.GetValue<string>() : text);
        }
    }

    private sealed record Reply(HttpStatusCode Status, JsonNode? Body, string? Code, string? Detail)
    {
        public bool Ok => (int)Status is >= 200 and < 300;

        /// <summary>The server said no to the step itself, with a code a script can expect (or at least read).</summary>
        public bool IsRefusal => Code is not null && Status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity => true,
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestEntityTooLarge => RefusalCodes.TryParse(Code, out _),
            _ => false,
        };

        public string Describe() => Ok ? $"{(int)Status}" : $"{(int)Status} {Code ?? "(not a problem response)"}: {Detail}";
    }

    // ---------------------------------------------------------------- names

    /// <summary>
    /// Gives every server message up to msg-<paramref name="last"/> that the script did not name
    /// (responses, scheduled sends, sequence steps) the name the engine gives it in memory: msg-1,
    /// msg-2…, in the order they were made, skipping names the script took. The server numbers every
    /// message it makes, in order, so those it made on its own are the gaps between the named ones.
    /// </summary>
    private void NameEngineMessagesUpTo(long last)
    {
        for (var n = _serverMessagesNamed + 1; n <= last; n++)
        {
            var serverId = $"msg-{n}";
            if (_toScript.ContainsKey(serverId))
            {
                continue;
            }
            string name;
            do
            {
                name = $"msg-{++_engineMessageSequence}";
            }
            while (_toServer.ContainsKey(name));
            Name(name, serverId);
        }
        _serverMessagesNamed = Math.Max(_serverMessagesNamed, last);
    }

    private static long ServerNumber(string serverId) =>
        serverId.StartsWith("msg-", StringComparison.Ordinal) && long.TryParse(serverId.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    private void Name(string scriptName, string serverId)
    {
        _toServer[scriptName] = serverId;
        _toScript[serverId] = scriptName;
    }

    /// <summary>
    /// The server's id for a message the script names. A name the script never gave is passed on as
    /// it is, unless it looks like a name the server gives, which could be another message there.
    /// </summary>
    private string ServerMessage(string scriptName) =>
        _toServer.TryGetValue(scriptName, out var id) ? id
        : ServerNames().IsMatch(scriptName) ? "unknown-" + scriptName
        : scriptName;

    private void Rename(JsonObject node, string property)
    {
        if (node[property] is JsonValue value && value.TryGetValue<string>(out var text))
        {
            node[property] = ServerNames().Replace(text, m => _toScript.GetValueOrDefault(m.Value, m.Value));
        }
    }

    [GeneratedRegex(@"\bmsg-[0-9]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex ServerNames();

    private static string E(string segment) => Uri.EscapeDataString(segment);

    /// <summary>A JSON body of those of the step's fields that it has: the API's bodies spell them as scripts do.</summary>
    private static JsonObject Body(Step step, params string[] fields)
    {
        var body = new JsonObject();
        foreach (var field in fields)
        {
            if (step.Fields.TryGetValue(field, out var value))
            {
                body[field] = JsonNode.Parse(value.GetRawText());
            }
        }
        return body;
    }

    private static void Rename(JsonObject body, string from, string to)
    {
        if (body.Remove(from, out var value))
        {
            body[to] = value;
        }
    }

    private static JsonObject Renamed(JsonObject body, string from, string to)
    {
        Rename(body, from, to);
        return body;
    }
}
