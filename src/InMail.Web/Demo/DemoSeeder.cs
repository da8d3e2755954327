using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Hosting;
using InMail.Web.Security;

namespace InMail.Web.Demo;

/// <summary>Gives the operator a password, and in demo mode fills an empty database with <see cref="DemoNetwork"/>.</summary>
internal static class DemoSeeder
{
    public const string TestOperatorPassword = "test-operator-password";

    public static async Task PrepareAsync(IServiceProvider services, ServiceOptions options, ILogger log, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<CommandStore>();
        var accounts = services.GetRequiredService<Accounts>();
        var clock = services.GetRequiredService<ServiceClock>();
        if (options.Mode == ServiceMode.Demo && store.LastSeq == 0)
        {
            await SeedAsync(store, accounts, clock, log);
        }
        if (options.Mode == ServiceMode.Demo)
        {
            PrintSignIns(log);
        }
        var password = options.OperatorPassword ?? (options.Mode == ServiceMode.Test ? TestOperatorPassword : null);
        if (password is not null && !await accounts.ExistsAsync(DemoNetwork.OperatorId, cancellationToken))
        {
            var made = await accounts.RegisterAsync(new AddMember(DemoNetwork.OperatorId, "Operator"), password, Roles.Operator);
            if (!made.IsSuccess)
            {
                // The member exists (a demo seeded it, or a member took the id): give it the operator's credentials.
                await store.WriteAsync([accounts.Credentials(DemoNetwork.OperatorId, accounts.Hash(password), Roles.Operator)], cancellationToken);
            }
            Log.OperatorReady(log, DemoNetwork.OperatorId);
        }
    }

    private static async Task SeedAsync(CommandStore store, Accounts accounts, ServiceClock clock, ILogger log)
    {
        var started = TimeProvider.System.GetTimestamp();
        var steps = DemoNetwork.Build(clock.GetUtcNow());
        var passwords = DemoNetwork.SignIns.ToDictionary(s => s.Member, s => s, StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal); // hashing is slow on purpose: once per distinct password
        try
        {
            foreach (var step in steps)
            {
                clock.Set(step.At);
                if (step.Command is AddMember member)
                {
                    var (password, role) = passwords.TryGetValue(member.Id, out var s) ? (s.Password, s.Role) : (DemoNetwork.MemberPassword, Roles.Member);
                    if (!hashes.TryGetValue(password, out var hash))
                    {
                        hash = accounts.Hash(password);
                        hashes.Add(password, hash);
                    }
                    Check(await accounts.RegisterAsync(member, password, role, hash), step);
                }
                else
                {
                    if (step.Command is Send { Attachments: { } files } send)
                    {
                        foreach (var file in files.Where(f => f.Id == DemoNetwork.RoleBriefId))
                        {
                            await store.SaveUploadAsync(send.From, file, DemoNetwork.RoleBrief, step.At);
                        }
                    }
                    Check(await store.ExecuteAsync(step.Command, ""), step);
                }
            }
        }
        finally
        {
            clock.Reset();
        }
        Log.DemoSeeded(log, steps.Count, (int)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void Check(InMail.Domain.Outcome<InMail.Domain.Idempotent<object>> outcome, DemoStep step)
    {
        if (!outcome.IsSuccess)
        {
            throw new InvalidOperationException($"the demo network's step '{step.Command.Verb}' at {step.At:O} was refused: {outcome.Refusal}");
        }
    }

    private static void PrintSignIns(ILogger log)
    {
        var lines = DemoNetwork.SignIns.Select(s => $"  {s.Member,-18} {s.Password,-18} {s.Role,-9} {s.Description}");
        var text = "Demo sign-ins (member id, password, role):" + Environment.NewLine + string.Join(Environment.NewLine, lines)
            + Environment.NewLine + $"  every other demo member signs in with the password '{DemoNetwork.MemberPassword}'";
        Console.Out.WriteLine(text);
        Log.DemoSignIns(log, DemoNetwork.SignIns.Count);
    }
}
