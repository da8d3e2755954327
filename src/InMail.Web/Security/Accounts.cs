using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Storage.Projection;
using InMail.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InMail.Web.Security;

/// <summary>Who a request acts as.</summary>
public sealed record Principal(string Member, string Role)
{
    public bool IsOperator => Role == Roles.Operator;
}

public static class Roles
{
    public const string Member = "member";
    public const string Operator = "operator";
}

/// <summary>
/// Passwords and access tokens. Passwords are hashed with ASP.NET Core Identity's hasher (PBKDF2);
/// tokens are 256 random bits, shown once, and stored only as their SHA-256, so neither a database
/// copy nor a log line can be used to sign in.
/// </summary>
public sealed class Accounts
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    private const string TokenPrefix = "imt_";

    private readonly CommandStore _store;
    private readonly ServiceClock _clock;
    private readonly ServiceOptions _options;
    private readonly PasswordHasher<string> _hasher;
    private readonly string _dummyHash;
    private readonly ConcurrentDictionary<string, (Principal Who, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public Accounts(CommandStore store, ServiceClock clock, IOptions<ServiceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _clock = clock;
        _options = options.Value;
        _hasher = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions { IterationCount = _options.PasswordHashIterations }));
        _dummyHash = _hasher.HashPassword("", "not a password anyone has");
    }

    /// <summary>
    /// Ids no member may register: <c>me</c> is every member's own path alias, <c>operator</c> the
    /// service's account, and the rest read as the service speaking. Compared without case.
    /// </summary>
    public static IReadOnlySet<string> ReservedIds { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "me", "operator", "admin", "administrator", "root", "system", "support", "self", "anonymous", "inmail",
    };

    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength
            ? $"A password is {MinPasswordLength}–{MaxPasswordLength} characters."
            : null;

    /// <summary>
    /// Password hashing is deliberately slow CPU work (PBKDF2, 100,000 rounds, ~0.1 s). Run by every
    /// request at once, a burst of sign-ups or sign-ins holds every thread-pool thread, and the store's
    /// database reads, whose continuations need one, time out (100 registrations at once on PostgreSQL:
    /// 77 s and 7 × 503 before this). So at most one hash per core runs at a time; the other requests
    /// wait without holding a thread.
    /// </summary>
    private readonly SemaphoreSlim _hashing = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public string Hash(string password) => _hasher.HashPassword("", password);

    private async Task<T> HashingAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _hashing.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _hashing.Release();
        }
    }

    /// <summary>The row that gives a member a password, to write in the same transaction that creates them.</summary>
    public Write Credentials(string member, string passwordHash, string role) =>
        new(Tables.Credentials, WriteKind.Upsert, [member, passwordHash, role, _clock.GetUtcNow()]);

    /// <summary>Creates a member who can sign in: the member and their password in one transaction.</summary>
    public async Task<Outcome<Idempotent<object>>> RegisterAsync(AddMember member, string password, string role = Roles.Member, string? passwordHash = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var hash = passwordHash ?? await HashingAsync(() => Hash(password), cancellationToken);
        return await _store.ExecuteAsync(member, member.Id, alongside: [Credentials(member.Id, hash, role)], cancellationToken: cancellationToken);
    }

    /// <summary>The member's role if the password is theirs; the same work is done for unknown members, so timing tells nothing.</summary>
    public async Task<Principal?> VerifyAsync(string member, string password, CancellationToken cancellationToken)
    {
        // An id no member can have is not looked up: PostgreSQL refuses some such text (a NUL) with an error, not with no row.
        var row = Identifiers.IsValid(member)
            ? await _store.QueryAsync($"SELECT password_hash, role FROM credentials WHERE member_id = {_store.Parameter(0)}", [member],
                r => r.Read() ? (Hash: r.GetString(0), Role: r.GetString(1)) : default, cancellationToken)
            : default;
        var result = await HashingAsync(() => _hasher.VerifyHashedPassword("", row.Hash ?? _dummyHash, password), cancellationToken);
        return row.Hash is not null && result != PasswordVerificationResult.Failed ? new Principal(member, row.Role) : null;
    }

    public async Task<bool> ExistsAsync(string member, CancellationToken cancellationToken) =>
        await _store.QueryAsync($"SELECT 1 FROM credentials WHERE member_id = {_store.Parameter(0)}", [member], r => r.Read(), cancellationToken);

    /// <summary>Issues a bearer token for the principal.</summary>
    public async Task<(string Token, DateTimeOffset Expires)> IssueAsync(Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _clock.Real.GetUtcNow();
        var expires = now + _options.TokenLifetime;
        var hash = HashToken(token);
        await _store.WriteAsync([new Write(Tables.AccessTokens, WriteKind.Upsert, [hash, who.Member, now, expires])], cancellationToken);
        _tokens[hash] = (who, expires);
        return (token, expires);
    }

    /// <summary>Who a bearer token belongs to, if it is one of ours and still valid.</summary>
    public async ValueTask<Principal?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }
        var hash = HashToken(token);
        if (!_tokens.TryGetValue(hash, out var known))
        {
            // Another server process may have issued it.
            var row = await _store.QueryAsync(
                $"SELECT t.member_id, c.role, t.expires_at FROM access_tokens t JOIN credentials c ON c.member_id = t.member_id WHERE t.token_hash = {_store.Parameter(0)}",
                [hash], r => r.Read() ? (new Principal(r.GetString(0), r.GetString(1)), _store.ReadInstant(r, 2)) : ((Principal, DateTimeOffset)?)null,
                cancellationToken);
            if (row is not { } found)
            {
                return null;
            }
            known = found;
            _tokens[hash] = known;
        }
        return known.Expires > _clock.Real.GetUtcNow() ? known.Who : null;
    }

    /// <summary>Revokes a token (sign-out).</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        var hash = HashToken(token);
        _tokens.TryRemove(hash, out _);
        await _store.WriteAsync([new Write(Tables.AccessTokens, WriteKind.Delete, [hash])], cancellationToken);
    }

    /// <summary>
    /// Starts a cookie session: a random id for the cookie, stored here only as its SHA-256, so the
    /// session ends on the server when it is signed out (a copied cookie stops working).
    /// </summary>
    public async Task<string> StartSessionAsync(Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var session = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _clock.Real.GetUtcNow();
        await _store.WriteAsync([new Write(Tables.Sessions, WriteKind.Upsert, [HashToken(session), who.Member, now, now + _options.SessionLifetime])], cancellationToken);
        return session;
    }

    /// <summary>True while the session was started and not ended, and its lifetime has not run out. Asks the database: another process may have ended it.</summary>
    public async Task<bool> IsSessionLiveAsync(string session, CancellationToken cancellationToken)
    {
        if (session.Length is 0 or > 100)
        {
            return false;
        }
        var expires = await _store.QueryAsync($"SELECT expires_at FROM sessions WHERE session_hash = {_store.Parameter(0)}", [HashToken(session)],
            r => r.Read() ? _store.ReadInstant(r, 0) : (DateTimeOffset?)null, cancellationToken);
        return expires > _clock.Real.GetUtcNow();
    }

    /// <summary>Ends a cookie session (sign-out).</summary>
    public Task EndSessionAsync(string session, CancellationToken cancellationToken) =>
        _store.WriteAsync([new Write(Tables.Sessions, WriteKind.Delete, [HashToken(session)])], cancellationToken);

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
