using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Cli.Replay;

/// <summary>Runs scenario steps on a fresh in-memory engine.</summary>
public sealed class EngineTarget(PlanCatalog catalog) : IScenarioTarget
{
    public InMailEngine Engine { get; } = new(catalog);

    public ValueTask<StepResult> RunAsync(Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return ValueTask.FromResult(Run(step));
    }

    public ValueTask<MemberCredits?> InspectAsync(DateTimeOffset at, string member, CancellationToken cancellationToken)
    {
        var view = Engine.Credits(at, member);
        return ValueTask.FromResult(view.IsSuccess
            ? new MemberCredits(view.Value.Usable, view.Value.Frozen, view.Value.Lots.Select(l => new LotView(l.Source.ToName(), l.Remaining, l.Expires)).ToList())
            : null);
    }

    public ValueTask<string?> FingerprintAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        Engine.CatchUpAll(at);
        return ValueTask.FromResult<string?>(StateJson.Write(Engine, at, includeActivity: true));
    }

    private StepResult Run(Step s)
    {
        var now = s.At;
        var e = Engine;
        return s.Verb switch
        {
            "member" => Result(e.AddMember(now, s.Require("id"), new Profile(s.Require("name"), s.Text("headline"), s.Text("company"), s.Text("timezone")), s.Flag("inmail") ?? true, s.Flag("groupMessages") ?? true)),
            "set" => Result(e.ChangeSettings(now, s.Require("member"), s.Flag("openProfile"), s.Flag("inmail"), s.Flag("groupMessages"))),
            "connect" => Result(e.Connect(now, s.Require("a"), s.Require("b"))),
            "disconnect" => Result(e.Disconnect(now, s.Require("a"), s.Require("b"))),
            "invite" => Result(e.Invite(now, s.Require("from"), s.Require("to"), s.Text("note"))),
            "accept-invite" => Result(e.AcceptInvitation(now, s.Require("from"), s.Require("to"))),
            "ignore-invite" => Result(e.IgnoreInvitation(now, s.Require("from"), s.Require("to"))),
            "withdraw-invite" => Result(e.WithdrawInvitation(now, s.Require("from"), s.Require("to"))),
            "join-group" => JoinGroup(now, s.Require("member"), s.Require("group")),
            "leave-group" => Result(e.LeaveGroup(now, s.Require("member"), s.Require("group"))),
            "block" => Result(e.Block(now, s.Require("member"), s.Require("blocks"))),
            "unblock" => Result(e.Unblock(now, s.Require("member"), s.Require("blocks"))),
            "subscribe" => WithBilling(s, b => Result(e.Subscribe(now, s.Require("member"), s.Require("plan"), b))),
            "change-plan" => WithBilling(s, b => Result(e.ChangePlan(now, s.Require("member"), s.Require("plan"), b))),
            "cancel" => Result(e.Cancel(now, s.Require("member"))),
            "team" => WithBilling(s, b => Result(e.CreateTeam(now, s.Require("id"), s.Require("plan"), b, s.Strings("seats"), s.Number("seatCap"), s.Text("admin")))),
            "team-add" => Result(e.AddSeat(now, s.Require("team"), s.Require("member"))),
            "team-remove" => Result(e.RemoveSeat(now, s.Require("team"), s.Require("member"))),
            "team-cap" => Result(e.SetSeatCap(now, s.Require("team"), s.Number("seatCap"))),
            "buy" => Result(e.Buy(now, s.Require("member"), s.Number("pack")!.Value)),
            "grant" => Result(e.GrantBonus(now, s.Require("member"), s.Number("credits")!.Value, s.Number("days")!.Value, s.Text("reason"))),
            "send" => Sent(e.Send(now, Request(s), s.Require("id"))),
            "quote" => Quoted(e.Quote(now, Request(s))),
            "respond" => Respond(s),
            "report-spam" => Result(e.ReportSpam(now, s.Require("member"), s.Require("message"))),
            "read" => Result(e.MarkRead(now, s.Require("member"), s.Require("with"))),
            _ => throw new InvalidOperationException($"line {s.Line}: verb '{s.Verb}' has no runner"),
        };
    }

    private static SendRequest Request(Step s) => new(s.Require("from"), s.Require("to"), s.Text("subject"), s.Text("body"));

    private StepResult JoinGroup(DateTimeOffset now, string member, string group)
    {
        // Scripts name groups by joining them; the first join creates the group.
        if (Engine.State.FindGroup(group) is null && Engine.State.FindMember(member) is not null)
        {
            var created = Engine.CreateGroup(group, group);
            if (!created.IsSuccess)
            {
                return Refused(created.Refusal);
            }
        }
        return Result(Engine.JoinGroup(now, member, group));
    }

    private StepResult Respond(Step s)
    {
        if (!MessagingNames.TryParseResponse(s.Text("kind"), out var kind))
        {
            return StepResult.Refused(RefusalCode.InvalidInput.ToCode(), "kind is reply, accept or decline");
        }
        return Result(Engine.Respond(s.At, s.Require("member"), s.Require("message"), kind, s.Text("body")));
    }

    private static StepResult WithBilling(Step s, Func<BillingPeriod, StepResult> run) => s.Text("billing") switch
    {
        null or "monthly" => run(BillingPeriod.Monthly),
        "annual" => run(BillingPeriod.Annual),
        var other => StepResult.Refused(RefusalCode.InvalidInput.ToCode(), $"billing is monthly or annual, not '{other}'"),
    };

    private static StepResult Sent(Outcome<Sent> o) =>
        o.IsSuccess ? StepResult.Ok(o.Value.Quote.Path.ToName(), o.Value.Quote.Cost) : Refused(o.Refusal);

    private static StepResult Quoted(Outcome<Quote> o) =>
        o.IsSuccess ? StepResult.Ok(o.Value.Path.ToName(), o.Value.Cost) : Refused(o.Refusal);

    private static StepResult Result<T>(Outcome<T> o) => o.IsSuccess ? StepResult.Ok() : Refused(o.Refusal);

    private static StepResult Refused(Refusal r) => StepResult.Refused(r.CodeText, r.Message);
}
