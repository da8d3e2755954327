using InMail.Domain.Catalog;
using InMail.Domain.Network;

namespace InMail.Domain.Tests.Rules;

/// <summary>A small fixture: a fresh engine on the default catalog and a clock the test moves.</summary>
internal sealed class Given
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public Given(PlanCatalog? catalog = null) => Engine = new InMailEngine(catalog ?? PlanCatalog.Default);

    public InMailEngine Engine { get; }
    public DateTimeOffset Now { get; set; } = Start;

    public Given Members(params string[] ids)
    {
        foreach (var id in ids)
        {
            Engine.AddMember(Now, id, new Profile(id)).Value.ToString();
        }
        return this;
    }

    public Given Subscribe(string member, string plan = "premium-business", BillingPeriod billing = BillingPeriod.Monthly)
    {
        _ = Engine.Subscribe(Now, member, plan, billing).Value;
        return this;
    }

    public Given At(DateTimeOffset t)
    {
        Now = t;
        return this;
    }

    public Given After(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public int Credits(string member) => Engine.Credits(Now, member).Value.Usable;

    public Outcome<Sent> InMail(string from, string to, string? id = null) =>
        Engine.Send(Now, new SendRequest(from, to, "Hello", "A short note."), id);
}
