namespace InMail.Web.Hosting;

/// <summary>How the service runs: live (the default), demo (seeded network, a clock the operator moves forward), or test (scripts set the clock).</summary>
public enum ServiceMode
{
    Live,
    Demo,
    Test,
}

/// <summary>The <c>InMail</c> section of configuration (appsettings, <c>InMail__*</c> environment variables, or <c>--InMail:*</c> arguments).</summary>
public sealed class ServiceOptions
{
    public const string Section = "InMail";

    public ServiceMode Mode { get; set; } = ServiceMode.Live;

    /// <summary>
    /// Test mode only: the instant the service clock starts at, e.g. <c>--InMail:ClockStart=2000-01-01T00:00:00Z</c>
    /// for a server that replays scenario scripts (the clock never goes back, so it must start at or
    /// before a script's first step). The clock then stands still and moves only when the operator
    /// sets or advances it, so every request of a step runs at exactly the step's instant. Ignored in
    /// the other modes.
    /// </summary>
    public DateTimeOffset? ClockStart { get; set; }

    /// <summary>The SQLite database file, used unless <see cref="Postgres"/> is set.</summary>
    public string Sqlite { get; set; } = Path.Combine("data", "inmail.db");

    /// <summary>An Npgsql connection string; set it (or the <c>INMAIL_POSTGRES</c> environment variable) to run on PostgreSQL.</summary>
    public string? Postgres { get; set; }

    /// <summary>The operator's password in test mode, and in any mode the password the operator account gets if it does not exist yet.</summary>
    public string? OperatorPassword { get; set; }

    /// <summary>PBKDF2 iterations of the password hasher (ASP.NET Core Identity's default is 100,000; tests lower it).</summary>
    public int PasswordHashIterations { get; set; } = 100_000;

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>
    /// Decision 007: at most this many members, teams, groups and conversations stay in memory; past
    /// it the working set is emptied after a batch and fills again on demand. 0 empties it after every batch.
    /// </summary>
    public int WorkingSetLimit { get; set; } = 200_000;

    /// <summary>
    /// How many facts of sent InMails the Results page keeps between views, over all members (decision 016; about
    /// 130 bytes each): only what changed since a member's last view is read again. 0 keeps none.
    /// </summary>
    public int OutreachCacheFacts { get; set; } = 500_000;

    /// <summary>How long an API access token lives.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a cookie session lives at most, however often it is used (the cookie slides within it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The TLS-terminating proxies whose <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> are
    /// believed: addresses or networks (<c>127.0.0.1</c>, <c>10.0.0.0/8</c>), comma-separated. Empty
    /// (the default): those headers are ignored, since any client can send them.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
