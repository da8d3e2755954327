namespace InMail.Domain.Credits;

/// <summary>Who owns a wallet: a member (personal lots) or a team (the pool).</summary>
public enum WalletOwner
{
    /// <summary>A member's own wallet: their allowance, purchase, bonus and refund lots.</summary>
    Member,

    /// <summary>A team's pool, which its seats spend from.</summary>
    Team,
}

/// <summary>Identifies a wallet, written <c>member:alice</c> or <c>team:acme</c>.</summary>
/// <param name="Owner">Whether the wallet is a member's own or a team's pool.</param>
/// <param name="Id">The member's or the team's id.</param>
public readonly record struct WalletId(WalletOwner Owner, string Id)
{
    /// <summary>The own wallet of the member <paramref name="id"/>.</summary>
    public static WalletId ForMember(string id) => new(WalletOwner.Member, id);

    /// <summary>The pool of the team <paramref name="id"/>.</summary>
    public static WalletId ForTeam(string id) => new(WalletOwner.Team, id);

    /// <summary>The written form, <c>member:alice</c> or <c>team:acme</c>.</summary>
    public override string ToString() => Owner == WalletOwner.Member ? $"member:{Id}" : $"team:{Id}";
}
