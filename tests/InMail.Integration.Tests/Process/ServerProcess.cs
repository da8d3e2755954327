using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using InMail.Integration.Tests.Api;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// The real server as a child process (<c>dotnet InMail.Web.dll --test-mode …</c>) on a free port of
/// 127.0.0.1, on a SQLite file or a PostgreSQL database, so a test can kill it (SIGKILL, as a crash
/// or the OOM killer would) or stop it (SIGTERM, as systemd or Kubernetes would) and start another
/// on the same database. Its output is kept for the failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<HttpClient> _clients = [];

    private ServerProcess(System.Diagnostics.Process process, Uri address, string database)
    {
        _process = process;
        BaseAddress = address;
        Database = database;
    }

    public Uri BaseAddress { get; }

    /// <summary>The <c>--InMail:…</c> argument that names the database, for the failure messages.</summary>
    public string Database { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote to stdout and stderr.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>A failure with what each server logged appended: a 503's cause is only in the server's output.</summary>
    public static InvalidOperationException WithOutput(Exception failure, IReadOnlyList<ServerProcess> servers)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(servers);
        return new InvalidOperationException(failure.Message + Environment.NewLine
            + string.Join(Environment.NewLine, servers.Select((s, i) => $"--- server {(char)('A' + i)} ---{Environment.NewLine}{s.Output}")), failure);
    }

    public static Task<ServerProcess> StartSqliteAsync(string path) => StartAsync($"--InMail:Sqlite={path}");

    public static Task<ServerProcess> StartPostgresAsync(string connectionString) => StartAsync($"--InMail:Postgres={connectionString}");

    /// <summary>Starts the server and returns once <c>GET /health</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string databaseArgument, params string[] extra)
    {
        // A port found free can be taken before the server binds it; then the server exits and another is tried.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(databaseArgument, FreePort(), extra);
            try
            {
                await server.WaitUntilHealthyAsync();
                return server;
            }
            catch (ServerExitedException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static ServerProcess Launch(string databaseArgument, int port, string[] extra)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            WebDll(), "--test-mode", "--urls", $"http://127.0.0.1:{port}", databaseArgument,
            "--InMail:PasswordHashIterations=1000", "--InMail:SignInsPerMinute=1000000",
            // Decision 007: the working set is emptied after every batch, so a kill can land while members load or leave memory.
            "--InMail:WorkingSetLimit=0",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning", // no line per request; errors and the service's own lines stay
        }.Concat(extra)) // later arguments win: a test may run the server live
        {
            info.ArgumentList.Add(argument);
        }
        // The command line decides the database, whatever the test runner's environment says.
        foreach (var name in info.Environment.Keys.Where(k => k == "INMAIL_POSTGRES" || k.StartsWith("InMail__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }
        var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), databaseArgument);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {info.FileName} {string.Join(' ', info.ArgumentList)}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>InMail.Web.dll as built beside the tests (the project reference copies it and its runtimeconfig), or in the repository.</summary>
    private static string WebDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "InMail.Web.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InMail.slnx")))
            {
                var built = Directory.EnumerateFiles(Path.Combine(dir.FullName, "src", "InMail.Web", "bin"), "InMail.Web.dll", SearchOption.AllDirectories)
                    .Where(f => File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
                    .OrderByDescending(File.GetLastWriteTimeUtc)
                    .FirstOrDefault();
                if (built is not null)
                {
                    return built;
                }
            }
        }
        throw new FileNotFoundException($"InMail.Web.dll is neither in {AppContext.BaseDirectory} nor built under src/InMail.Web/bin");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var cancellationToken = TestContext.Current.CancellationToken;
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new ServerExitedException($"the server ({Database}) exited with {_process.ExitCode} before it was healthy:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow first answer
            }
            if (started.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"the server ({Database}) was not healthy after {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>An HTTP client of this server (disposed with it).</summary>
    public HttpClient CreateHttpClient(int maxConnections = 64)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        lock (_clients)
        {
            _clients.Add(http);
        }
        return http;
    }

    public ApiClient Anonymous() => new(CreateHttpClient());

    public ApiClient As(string token)
    {
        var client = Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<ApiClient> MemberAsync(string id, string? name = null) => As(await Anonymous().RegisterAsync(id, name ?? id));

    public async Task<ApiClient> OperatorAsync() => As(await Anonymous().SignInAsync("operator", "test-operator-password"));

    /// <summary>
    /// SIGKILL (Process.Kill is SIGKILL on Linux): no shutdown code runs, as in a crash. The server alone and at
    /// once: it starts no processes, and finding a process tree walks /proc, which is slow on a busy machine.
    /// <see cref="DisposeAsync"/> kills the whole tree.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>SIGTERM, then waits for the server to finish its requests and close the database; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
                ?? throw new InvalidOperationException("could not run kill");
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                await KillAsync();
                throw new TimeoutException($"the server ({Database}) did not stop within {StopTimeout.TotalSeconds} s of SIGTERM:{Environment.NewLine}{Output}");
            }
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            _clients.Clear();
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }

    private sealed class ServerExitedException(string message) : Exception(message);
}
