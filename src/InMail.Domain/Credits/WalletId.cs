namespace InMail.Domain.Credits;

/// <summary>Who owns a wallet: a member (personal lots) or a team (the pool).</summary>
public enum WalletOwner
{
    Member,
    Team,
}

/// <summary>Identifies a wallet, written <c>member:alice</c> or <c>team:acme</c>.</summary>
public readonly record struct WalletId(WalletOwner Owner, string Id)
{
    public static WalletId ForMember(string id) => new(WalletOwner.Member, id);

    public static WalletId ForTeam(string id) => new(WalletOwner.Team, id);

    public override string ToString() => Owner == WalletOwner.Member ? $"member:{Id}" : $"team:{Id}";
}
