using System.Data.Common;
using System.Threading.Channels;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Storage.Projection;

namespace InMail.Storage;

/// <summary>
/// Decision 003: the engine lives in memory and the database holds, in one transaction per batch,
/// every accepted command (<c>command_log</c>) and the rows it changed (members, lots, the
/// append-only ledger, messages…). One writer takes queued requests in batches (group commit) and
/// acknowledges each only after its batch is committed, so nothing acknowledged is lost. Before
/// each batch the writer takes the database's writer lock and applies the commands other processes
/// logged since it last looked, so two servers on one PostgreSQL database never overspend a member.
/// </summary>
public sealed class CommandStore : IAsyncDisposable
{
    private readonly Backend _backend;
    private readonly PlanCatalog _catalog;
    private readonly TimeProvider _clock;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private DbConnection _writer;
    private readonly Task _writeLoop;
    private InMailEngine _engine;
    private Projector _projector = new();
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;
    private long _lastSeq;

    // The next transaction, when the last commit began it (with the commands other processes logged before it): see Backend.Commit.
    private List<LoggedCommand>? _begun;

    private CommandStore(Backend backend, PlanCatalog catalog, TimeProvider clock, int maxBatch)
    {
        _backend = backend;
        _catalog = catalog;
        _clock = clock;
        _maxBatch = maxBatch;
        _engine = new InMailEngine(catalog);
        _writer = backend.Open();
        MigrationRunner.Apply(_writer, backend.Dialect, clock.GetUtcNow());
        Rebuild();
        _writeLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Opens the store: creates and migrates the database if needed and replays its log into a fresh engine.</summary>
    public static CommandStore Open(StoreOptions options, PlanCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clock);
        var backend = Backend.Create(options);
        try
        {
            return new CommandStore(backend, catalog, clock, options.MaxBatch);
        }
        catch
        {
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Dialect => _backend.Dialect;

    /// <summary>The sequence number of the last command this process has applied (its own or another's).</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>True until a write fails in a way that stops the store (then every request is refused).</summary>
    public bool IsHealthy => !_queue.Reader.Completion.IsCompleted;

    /// <summary>
    /// Carries out a command for <paramref name="actor"/>; the task completes once it is durable (or
    /// was refused, which changes nothing and is not logged). With a key, a retry of the same
    /// command returns the first result with <c>Replayed</c> set, also after a restart. The
    /// <paramref name="alongside"/> rows are written in the same transaction if the command succeeds.
    /// <paramref name="present"/>, when given, turns the result into what the caller returns while the
    /// writer still holds the engine (results are live objects a later command may change).
    /// </summary>
    public async Task<Outcome<Idempotent<object>>> ExecuteAsync(Command command, string actor = "", string? idempotencyKey = null,
        IReadOnlyList<Write>? alongside = null, Func<InMailEngine, DateTimeOffset, object, object>? present = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pending = new Pending(command, actor, idempotencyKey, alongside) { Present = present };
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Writes rows that are not engine state (accounts, access tokens) through the same writer, durably.</summary>
    public async Task WriteAsync(IReadOnlyList<Write> writes, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(null, "", null, writes);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Reads the state at the clock's now, as this process knows it. Reads never see a command that is not yet on disk.</summary>
    public T Read<T>(Func<InMailEngine, DateTimeOffset, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return query(_engine, Stamp());
        }
    }

    /// <summary>Like <see cref="Read{T}"/>, but first applies what other processes sharing the database have logged, so a read sees every write acknowledged before it began.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<InMailEngine, DateTimeOffset, T> query, CancellationToken cancellationToken = default)
    {
        if (_backend.Shared)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        return Read(query);
    }

    /// <summary>Runs a query on a connection of its own (accounts, reports); never the engine's state.</summary>
    public async Task<T> QueryAsync<T>(string sql, object?[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = _backend.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = _backend.Dialect == "postgres" ? "" : $"@p{i}";
            p.Value = parameters[i] switch
            {
                null => DBNull.Value,
                DateTimeOffset t when _backend.Dialect == "sqlite" => SqliteBackend.FormatInstant(t),
                var v => v,
            };
            command.Parameters.Add(p);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return read(reader);
    }

    /// <summary>Reads an instant column the way this database stores it.</summary>
    public DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => _backend.ReadInstant(reader, ordinal);

    /// <summary>The parameter marker for the i-th (0-based) parameter of <see cref="QueryAsync{T}"/>.</summary>
    public string Parameter(int i) => _backend.Dialect == "postgres" ? $"${i + 1}" : $"@p{i}";

    /// <summary>Stops taking requests, finishes the queued ones, and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writeLoop.ConfigureAwait(false);
        }
        finally
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            await _backend.DisposeAsync().ConfigureAwait(false);
            _refresh.Dispose();
        }
    }

    // ---------------------------------------------------------------- the writer

    private void WriteLoop()
    {
        var batch = new List<Pending>(_maxBatch);
        var writes = new List<Write>(_maxBatch * 8);
        var scopes = new Scopes();
        while (NextBatchReady())
        {
            batch.Clear();
            writes.Clear();
            scopes.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            Exception? failure = null;
            lock (_gate)
            {
                // Apply and commit under one lock: a read sees none of the batch or all of it, durable.
                var firstSeq = _lastSeq;
                try
                {
                    ApplyLogged(_begun ?? _backend.BeginExclusive(_writer, _lastSeq));
                    _begun = null;
                    firstSeq = _lastSeq;
                    foreach (var p in batch)
                    {
                        Run(p, writes, scopes);
                    }
                    _projector.Sync(_engine.State, scopes, writes);
                    // Begin the next batch's transaction in the round trip that commits this one (see NextBatchReady).
                    _begun = _backend.Commit(_writer, writes, _backend.CanChain ? _lastSeq : null);
                }
#pragma warning disable CA1031 // Any failure of the database leaves memory ahead of disk; the batch is refused and the engine rebuilt.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _backend.Abort(_writer);
                    _begun = null;
                    failure = e;
                    _lastSeq = firstSeq;
                    TryRebuild(ref failure);
                }
            }
            foreach (var p in batch)
            {
                if (failure is null)
                {
                    p.Done.TrySetResult(p.Outcome);
                }
                else
                {
                    p.Done.TrySetException(new StoreUnavailableException("the database could not be written; nothing in this request was saved", failure));
                }
            }
        }
        if (_begun is not null)
        {
            _backend.Abort(_writer); // closing: nothing came after the last batch
            _begun = null;
        }
    }

    /// <summary>How long a transaction begun ahead waits for requests before it is rolled back, so that it does not hold other servers' writers.</summary>
    private static readonly TimeSpan BegunAheadIdle = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Waits for requests; false once the store is closing and nothing is left. On PostgreSQL the
    /// writer begins the next transaction (BEGIN, the writers' lock, the log read) in the round trip
    /// that commits the last one, so that a busy writer pays one round trip per batch; if no request
    /// comes within <see cref="BegunAheadIdle"/>, that transaction is rolled back and the lock freed.
    /// </summary>
    private bool NextBatchReady()
    {
        var ready = _queue.Reader.WaitToReadAsync().AsTask();
        if (_begun is not null && !ready.Wait(BegunAheadIdle))
        {
            _backend.Abort(_writer);
            _begun = null;
        }
        return ready.GetAwaiter().GetResult();
    }

    private void Run(Pending p, List<Write> writes, Scopes scopes)
    {
        if (p.Command is not { } command)
        {
            writes.AddRange(p.Alongside!);
            return;
        }
        var now = Stamp();
        scopes.Add(_engine.State, command); // before: who may leave a team
        var outcome = Apply(_engine, command, p.Actor, p.Key, now);
        p.Outcome = outcome.IsSuccess && p.Present is { } present
            ? new Idempotent<object>(present(_engine, now, outcome.Value.Value), outcome.Value.Replayed)
            : outcome;
        if (outcome is not { IsSuccess: true, Value.Replayed: false })
        {
            return;
        }
        scopes.Add(_engine.State, command);
        if (p.Key is not null)
        {
            scopes.IdempotencyKeys.Add((p.Actor, p.Key));
        }
        writes.Add(new Write(Tables.CommandLog, WriteKind.Append, [++_lastSeq, now, p.Actor, p.Key, CommandJson.Write(command)]));
        if (p.Alongside is { } extra)
        {
            writes.AddRange(extra);
        }
    }

    /// <summary>After a failed batch the engine is ahead of the database: rebuild it from the log. If that fails too, stop.</summary>
    private void TryRebuild(ref Exception? failure)
    {
        try
        {
            if (_writer.State != System.Data.ConnectionState.Open)
            {
                _writer.Dispose();
                _writer = _backend.Open();
            }
            Rebuild();
        }
#pragma warning disable CA1031 // The store stops; the original failure and this one are both reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = new AggregateException(failure!, e);
            _queue.Writer.TryComplete(failure);
        }
    }

    /// <summary>A fresh engine from the whole log, and a projection cache that knows the tables match it.</summary>
    private void Rebuild()
    {
        lock (_gate)
        {
            _engine = new InMailEngine(_catalog);
            _projector = new Projector();
            _lastSeq = 0;
            _lastAt = DateTimeOffset.MinValue;
            ApplyLogged(_backend.ReadLog(_writer, _lastSeq));
            _projector.Sync(_engine.State, Scopes.Everything(_engine.State), output: null);
        }
    }

    /// <summary>Applies commands logged after <see cref="_lastSeq"/> (by another process, or all of them at start). Call under the gate.</summary>
    private void ApplyLogged(List<LoggedCommand> rows)
    {
        var scopes = new Scopes();
        foreach (var row in rows)
        {
            if (row.Seq <= _lastSeq)
            {
                continue;
            }
            if (row.Seq != _lastSeq + 1)
            {
                throw new InvalidOperationException($"the command log skips from {_lastSeq} to {row.Seq}");
            }
            var command = CommandJson.Read(row.Json);
            scopes.Add(_engine.State, command);
            var outcome = Apply(_engine, command, row.Actor, row.Key, row.At);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"command {row.Seq} of the log was accepted once but is refused on replay ({outcome.Refusal}); the log and the engine disagree");
            }
            scopes.Add(_engine.State, command);
            _lastSeq = row.Seq;
            if (row.At > _lastAt)
            {
                _lastAt = row.At;
            }
        }
        // The process that logged these wrote their rows; the cache only has to learn them.
        _projector.Sync(_engine.State, scopes, output: null);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long after;
            lock (_gate)
            {
                after = _lastSeq;
            }
            List<LoggedCommand> rows;
            await using (var connection = _backend.Open())
            {
                rows = _backend.ReadLog(connection, after);
            }
            if (rows.Count == 0)
            {
                return;
            }
            lock (_gate)
            {
                ApplyLogged(rows);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Every command runs through the engine's idempotency, so a replay rebuilds the keys too.</summary>
    private static Outcome<Idempotent<object>> Apply(InMailEngine engine, Command command, string actor, string? key, DateTimeOffset now) =>
        engine.Idempotently(now, actor, key, command, () => command.Apply(engine, now));

    /// <summary>
    /// The instant a command runs at: the clock's, but never before the last logged command, and whole
    /// microseconds, which is all PostgreSQL's timestamptz keeps: a process that replays the log (another
    /// server, or this one after a restart) must run each command at the very instant it first ran at.
    /// </summary>
    private DateTimeOffset Stamp()
    {
        var now = _clock.GetUtcNow().ToUniversalTime();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        if (now < _lastAt)
        {
            now = _lastAt;
        }
        _lastAt = now;
        return now;
    }

    private sealed class Pending(Command? command, string actor, string? key, IReadOnlyList<Write>? alongside)
    {
        public Command? Command { get; } = command;
        public string Actor { get; } = actor;
        public string? Key { get; } = key;
        public IReadOnlyList<Write>? Alongside { get; } = alongside;
        public Func<InMailEngine, DateTimeOffset, object, object>? Present { get; init; }
        public Outcome<Idempotent<object>> Outcome { get; set; }
        public TaskCompletionSource<Outcome<Idempotent<object>>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The database could not be written; the request was not carried out (HTTP 503).</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
