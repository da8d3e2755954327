using System.Globalization;

namespace InMail.LoadGen;

/// <summary>The command line: <c>--name value</c> pairs; lists are comma-separated.</summary>
public sealed class Options
{
    public const string Usage = """
        usage: InMail.LoadGen --url http://127.0.0.1:PORT [options]

          --target LIST        noop, send, due, or several in order (default: send)
          --clients LIST       concurrent closed-loop clients per run, e.g. 8,32,64 (default: 32)
          --duration SECONDS   measured time of each run (default: 15)
          --warmup SECONDS     time before each run's measurement, not recorded (default: 3)
          --senders N          paid senders to register (default: 4000)
          --recipients N       recipients to register (default: 20000)
          --setup-clients N    concurrent requests while setting up the population (default: 64)
          --operator-password  the test-mode operator's password (default: test-operator-password)
          --server-pid PID     also report the server process's CPU use during each run
          --label TEXT         written into every RESULT line (e.g. the database)
          --prefix TEXT        the population's ids start with it (default: load), so several load generators
                               can share one database, each with its own senders and recipients
          --sends N            end each send run after N measured sends (--duration is then the most it may take)
          --schedules N        due target: scheduled sends to create (default: 100000)
          --per-sender N       due target: schedules per sender, at most 100 (default: 100)
          --spread SECONDS     due target: the window their instants are spread over (default: 60)
          --lead SECONDS       due target: from the first schedule created to the window's opening (default: 60)
          --catch-up SECONDS   due target: how long after the window closes to wait for the last (default: 900)

        Every send target run is a real paid InMail: each sender is on recruiter-corporate with an
        operator bonus, every (sender, recipient) pair is used once, and between send runs the test-mode
        clock moves 7 days so the daily and weekly limits start over. A run stops early, and says so,
        rather than go past what the population allows.

        The due target needs a live server (--InMail:Mode=Live): it schedules sends over HTTP that fall
        due within --spread seconds of real time and reports how late the server's scheduler ran them
        (see DueRun.cs).
        """;

    public Uri Url { get; private set; } = new("http://127.0.0.1:5080");
    public IReadOnlyList<string> Targets { get; private set; } = ["send"];
    public IReadOnlyList<int> Clients { get; private set; } = [32];
    public double Duration { get; private set; } = 15;
    public double Warmup { get; private set; } = 3;
    public int Senders { get; private set; } = 4000;
    public int Recipients { get; private set; } = 20_000;
    public int SetupClients { get; private set; } = 64;
    public string OperatorPassword { get; private set; } = "test-operator-password";
    public int? ServerPid { get; private set; }
    public string Label { get; private set; } = "";
    public string Prefix { get; private set; } = "load";
    public long? Sends { get; private set; }
    public int Schedules { get; private set; } = 100_000;
    public int PerSender { get; private set; } = 100;
    public double Spread { get; private set; } = 60;
    public double Lead { get; private set; } = 60;
    public double CatchUp { get; private set; } = 900;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        var urlGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException("");
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }
            var value = args[++i];
            switch (name)
            {
                case "--url": o.Url = new Uri(value.TrimEnd('/') + "/"); urlGiven = true; break;
                case "--target": o.Targets = List(value, t => t is "noop" or "send" or "due" ? t : throw new ArgumentException($"unknown target '{t}'")); break;
                case "--clients": o.Clients = List(value, c => Positive(name, c)); break;
                case "--duration": o.Duration = Seconds(name, value); break;
                case "--warmup": o.Warmup = Seconds(name, value, allowZero: true); break;
                case "--senders": o.Senders = Positive(name, value); break;
                case "--recipients": o.Recipients = Positive(name, value); break;
                case "--setup-clients": o.SetupClients = Positive(name, value); break;
                case "--operator-password": o.OperatorPassword = value; break;
                case "--server-pid": o.ServerPid = Positive(name, value); break;
                case "--label": o.Label = value; break;
                case "--prefix": o.Prefix = value.Length is > 0 and <= 20 && value.All(char.IsAsciiLetterOrDigit) ? value : throw new ArgumentException("--prefix is 1-20 letters or digits"); break;
                case "--sends": o.Sends = Positive(name, value); break;
                case "--schedules": o.Schedules = Positive(name, value); break;
                case "--per-sender": o.PerSender = Positive(name, value) is var p and <= DueRun.MostPerSender ? p : throw new ArgumentException($"--per-sender is at most {DueRun.MostPerSender} (the pending scheduled sends a member may have)"); break;
                case "--spread": o.Spread = Seconds(name, value); break;
                case "--lead": o.Lead = Seconds(name, value); break;
                case "--catch-up": o.CatchUp = Seconds(name, value); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        if (!urlGiven)
        {
            throw new ArgumentException("--url is required");
        }
        return o;
    }

    private static List<T> List<T>(string value, Func<string, T> parse) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'");

    private static double Seconds(string name, string value, bool allowZero = false) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && (s > 0 || (allowZero && s == 0))
            ? s
            : throw new ArgumentException($"{name} takes seconds, not '{value}'");
}
