using System.Text.Json;
using InMail.Cli.Replay;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Inspection;
using InMail.Domain.Network;
using InMail.Domain.Tests.Replay;

namespace InMail.Domain.Tests.Commands;

public sealed class CommandTests
{
    public static TheoryData<string> Scenarios() => ReplayCommandTests.Scenarios();

    [Fact]
    public void Every_script_verb_that_changes_something_is_a_command_and_every_command_is_a_verb()
    {
        var scriptVerbs = ScenarioScript.VerbNames.Except(ScenarioScript.ReadingVerbs).Order(StringComparer.Ordinal);

        Assert.Equal(scriptVerbs, CommandJson.AllVerbs.Except(CommandJson.ServiceVerbs).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_step_survives_a_round_trip_through_its_json(string file)
    {
        foreach (var step in ScenarioScript.Parse(File.ReadAllText(file)).Where(s => !ScenarioScript.ReadingVerbs.Contains(s.Verb)))
        {
            var command = EngineTarget.ToCommand(step);
            var json = CommandJson.Write(command);

            Assert.Equal(step.Verb, command.Verb);
            Assert.Equal(json, CommandJson.Write(CommandJson.Read(json)));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Replaying_the_logged_commands_of_a_script_rebuilds_the_same_state(string file)
    {
        // What the service will do at start: apply the command log, in order, to a fresh engine.
        var steps = ScenarioScript.Parse(File.ReadAllText(file));
        var live = new EngineTarget(PlanCatalog.Default);
        var log = new List<(DateTimeOffset At, string Json)>();
        foreach (var step in steps.Where(s => !ScenarioScript.ReadingVerbs.Contains(s.Verb)))
        {
            var result = await live.RunAsync(step, TestContext.Current.CancellationToken);
            if (result.Refusal is null)
            {
                log.Add((step.At, CommandJson.Write(EngineTarget.ToCommand(step))));
            }
        }

        var rebuilt = new InMailEngine(PlanCatalog.Default);
        foreach (var (at, json) in log)
        {
            Assert.True(CommandJson.Read(json).Apply(rebuilt, at).IsSuccess, json);
        }

        var end = steps[^1].At;
        Assert.Equal(StateJson.Write(live.Engine, end, includeActivity: true), StateJson.Write(rebuilt, end, includeActivity: true));
    }

    [Theory]
    [InlineData("""{"do":"fly","member":"a"}""")]
    [InlineData("""{"do":"buy","member":"a","pack":10,"colour":"red"}""")]
    [InlineData("""{"do":"buy","member":"a","pack":"ten"}""")]
    [InlineData("""{"do":"buy","pack":10}""")]
    [InlineData("""{"member":"a","pack":10}""")]
    [InlineData("null")]
    public void A_malformed_command_is_refused_when_read(string json)
    {
        Assert.ThrowsAny<JsonException>(() => CommandJson.Read(json));
    }

    [Fact]
    public void A_command_refused_by_the_rules_changes_nothing_and_says_why()
    {
        var engine = new InMailEngine(PlanCatalog.Default);
        var at = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        Assert.True(CommandJson.Read("""{"do":"member","id":"rita","name":"Rita"}""").Apply(engine, at).IsSuccess);
        var before = engine.State.FindMember("rita")!.Wallet.Ledger.Count;

        var buy = CommandJson.Read("""{"do":"buy","member":"rita","pack":10}""").Apply(engine, at);
        var billing = CommandJson.Read("""{"do":"subscribe","member":"rita","plan":"premium-career","billing":"weekly"}""").Apply(engine, at);

        Assert.Equal(RefusalCode.PurchaseNotAllowed, buy.Refusal?.Code);
        Assert.Equal(RefusalCode.InvalidInput, billing.Refusal?.Code);
        Assert.Equal(before, engine.State.FindMember("rita")!.Wallet.Ledger.Count);
        Assert.Null(engine.State.FindMember("rita")!.Subscription);
    }

    [Fact]
    public void Every_command_says_what_it_results_in_and_its_json_does_not_say_so()
    {
        foreach (var verb in CommandJson.AllVerbs)
        {
            var type = typeof(Command).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>().Single(a => (string)a.TypeDiscriminator! == verb).DerivedType;
            Assert.True(type.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(Command<>), $"{verb}: {type.Name} is not a Command<TResult>");
        }

        // The typed base adds no field: a command's JSON (the log's, and the idempotency fingerprint's) is what it was.
        Assert.Equal("""{"do":"buy","member":"rita","pack":10}""", CommandJson.Write(new Buy("rita", 10)));
        Assert.Equal("""{"Member":"rita","Pack":10}""", JsonSerializer.Serialize(new Buy("rita", 10), typeof(Buy)));
    }

    [Fact]
    public void A_command_carried_out_gives_its_result_as_its_type_and_applied_gives_the_same_boxed()
    {
        var engine = new InMailEngine(PlanCatalog.Default);
        var at = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        Member rita = new AddMember("rita", "Rita").CarryOut(engine, at).Value;
        Subscription subscription = new Subscribe("rita", "premium-career").CarryOut(engine, at).Value;

        var upgraded = new ChangePlan("rita", "premium-business").CarryOut(engine, at).Value;
        var ended = new ChangePlan("rita", "basic").Apply(engine, at).Value;

        Assert.Equal("rita", rita.Id);
        Assert.Equal("premium-career", subscription.Plan.Id);
        Assert.Equal("premium-business", upgraded.Subscription?.Plan.Id);
        Assert.Null(Assert.IsType<PlanChange>(ended).Subscription);
    }
}
