using System.Globalization;
using System.Threading.Channels;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using Microsoft.Data.Sqlite;

namespace InMail.Storage;

/// <summary>
/// Decision 003 on SQLite: the engine lives in memory; every accepted command is appended to
/// <c>command_log</c> before its caller hears back. One writer takes queued commands in batches,
/// applies them in order, and commits the batch in one durable transaction (group commit), so a
/// send is acknowledged only once it is on disk. Opening replays the log into a fresh engine.
/// </summary>
public sealed class SqliteCommandLog : IAsyncDisposable
{
    /// <summary>Most commands one transaction carries.</summary>
    public const int MaxBatch = 512;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Task _writer;
    private DateTimeOffset _lastAt;
    private long _lastSeq;

    private SqliteCommandLog(SqliteConnection connection, InMailEngine engine, TimeProvider clock)
    {
        _connection = connection;
        Engine = engine;
        _clock = clock;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The engine; touch it only through <see cref="Read{T}"/> or <see cref="ExecuteAsync"/>.</summary>
    private InMailEngine Engine { get; }

    /// <summary>The sequence number of the last command on disk.</summary>
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

    /// <summary>Opens (creating and migrating if needed) the database at <paramref name="path"/> and replays its log.</summary>
    public static SqliteCommandLog Open(string path, PlanCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        foreach (var pragma in new[] { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
        MigrationRunner.Apply(connection, "sqlite", clock.GetUtcNow());
        var engine = new InMailEngine(catalog);
        var (lastSeq, lastAt) = Replay(connection, engine);
        return new SqliteCommandLog(connection, engine, clock) { _lastSeq = lastSeq, _lastAt = lastAt };
    }

    /// <summary>
    /// Carries out a command for <paramref name="actor"/>. The task completes once the command is
    /// durable (or was refused, which changes nothing and is not logged). With a key, a retry of the
    /// same command returns the first result with <c>Replayed</c> set, also after a restart.
    /// </summary>
    public async Task<Outcome<Idempotent<object>>> ExecuteAsync(Command command, string actor = "", string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pending = new Pending(command, actor, idempotencyKey);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the state at the clock's now. Reads never see a command that is not yet on disk.</summary>
    public T Read<T>(Func<InMailEngine, DateTimeOffset, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return query(Engine, Stamp());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var rows = new List<(long Seq, DateTimeOffset At, Pending Pending)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            rows.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            lock (_gate)
            {
                // Apply and commit under one lock: a read either sees none of the batch or all of it, durable.
                foreach (var p in batch)
                {
                    var now = Stamp();
                    p.Outcome = Apply(Engine, p.Command, p.Actor, p.Key, now);
                    if (p.Outcome is { IsSuccess: true, Value.Replayed: false })
                    {
                        rows.Add((++_lastSeq, now, p));
                    }
                }
                try
                {
                    Commit(rows);
                }
                catch (SqliteException e)
                {
                    // Memory is now ahead of disk: nothing in this batch was acknowledged, and the log
                    // can no longer be trusted to match the engine. Refuse all further work.
                    _queue.Writer.TryComplete(e);
                    foreach (var p in batch)
                    {
                        p.Done.TrySetException(new InvalidOperationException("the command log could not be written; the service must restart", e));
                    }
                    return;
                }
            }
            foreach (var p in batch)
            {
                p.Done.TrySetResult(p.Outcome);
            }
        }
    }

    private void Commit(List<(long Seq, DateTimeOffset At, Pending Pending)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        using var tx = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO command_log (seq, at, actor, idempotency_key, command) VALUES ($seq, $at, $actor, $key, $command)";
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var actor = insert.Parameters.Add("$actor", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var command = insert.Parameters.Add("$command", SqliteType.Text);
        foreach (var row in rows)
        {
            seq.Value = row.Seq;
            at.Value = FormatInstant(row.At);
            actor.Value = row.Pending.Actor;
            key.Value = (object?)row.Pending.Key ?? DBNull.Value;
            command.Value = CommandJson.Write(row.Pending.Command);
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Every command runs through the engine's idempotency, so a replay rebuilds the keys too.</summary>
    private static Outcome<Idempotent<object>> Apply(InMailEngine engine, Command command, string actor, string? key, DateTimeOffset now) =>
        engine.Idempotently(now, actor, key, command, () => command.Apply(engine, now));

    private static (long LastSeq, DateTimeOffset LastAt) Replay(SqliteConnection connection, InMailEngine engine)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT seq, at, actor, idempotency_key, command FROM command_log ORDER BY seq";
        using var reader = read.ExecuteReader();
        long lastSeq = 0;
        var lastAt = DateTimeOffset.MinValue;
        while (reader.Read())
        {
            lastSeq = reader.GetInt64(0);
            lastAt = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var command = CommandJson.Read(reader.GetString(4));
            var outcome = Apply(engine, command, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), lastAt);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"command {lastSeq} of the log was accepted once but is refused on replay ({outcome.Refusal}); the log and the engine disagree");
            }
        }
        return (lastSeq, lastAt);
    }

    /// <summary>The instant a command runs at: the clock's, but never before the last logged command.</summary>
    private DateTimeOffset Stamp()
    {
        var now = _clock.GetUtcNow();
        if (now < _lastAt)
        {
            now = _lastAt;
        }
        _lastAt = now;
        return now;
    }

    private static string FormatInstant(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private sealed class Pending(Command command, string actor, string? key)
    {
        public Command Command { get; } = command;
        public string Actor { get; } = actor;
        public string? Key { get; } = key;
        public Outcome<Idempotent<object>> Outcome { get; set; }
        public TaskCompletionSource<Outcome<Idempotent<object>>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
