using System.Data.Common;
using System.Threading.Channels;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.WorkingSet;
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
public sealed partial class CommandStore : IAsyncDisposable
{
    private readonly Backend _backend;
    private readonly PlanCatalog _catalog;
    private readonly TimeProvider _clock;
    private readonly int _maxBatch;
    private readonly int _workingSetLimit;
    private readonly int _conversationsInMemberDocument;
    private readonly Func<object, string?>? _resultJson;
    private readonly Action<StoreNotice>? _notify;
    private readonly DatabaseStateSource _source;
    private readonly OutreachFactsCache _outreachFacts;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(65_536) { SingleReader = true });
    // Held by the writer while it applies and commits a batch, and by each read. A semaphore, not a
    // lock: a request waits for it without holding a thread-pool thread (ReadAsync), so a burst of
    // reads cannot starve the pool that the writer's own database round trips need (Npgsql sends a
    // batch's later statements on the pool). Not re-entrant: nothing under it may take it again.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private DbConnection _writer;
    private readonly Task _writeLoop;
    private InMailEngine _engine;
    private Projector _projector = new();
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;
    private long _lastSeq;

    // The seq of the last log row the running batch wrote. Only the writer's, and never shown: LastSeq moves only when
    // the batch commits. On PostgreSQL these numbers are only the batch's order; the database numbers the log.
    private long _batchSeq;

    // Decision 017 (PostgreSQL): writers claim what a batch touches instead of taking one lock, and learn what
    // other processes wrote from the feed: the log read by transaction id, below the oldest one still running.
    private readonly PostgresBackend? _perKey;
    private ulong _feedBound;
    private readonly Dictionary<long, ulong> _feedSeen = [];
    private readonly HashSet<ulong> _ownTx = [];
    private Feed? _nextFeed;
    private long _nextFeedSent; // when the commit that read _nextFeed was sent: its snapshot is later
    private long _conflicts;

    // Message numbers from the block this process holds (decision 017), and those the running command drew.
    private long _nextNumber = 1;
    private long _lastNumber;
    private readonly List<long> _drawn = [];

    private CommandStore(Backend backend, PlanCatalog catalog, TimeProvider clock, StoreOptions options)
    {
        _backend = backend;
        _catalog = catalog;
        _clock = clock;
        _maxBatch = options.MaxBatch;
        _workingSetLimit = options.WorkingSetLimit;
        _conversationsInMemberDocument = options.ConversationsInMemberDocument;
        _resultJson = options.ResultJson;
        _notify = options.Notify;
        _source = new DatabaseStateSource(backend, trackVersions: backend.PerKey);
        Metrics = new StoreMetrics(this);
        _outreachFacts = new OutreachFactsCache(options.OutreachCacheFacts);
        _perKey = backend.PerKey ? (PostgresBackend)backend : null;
        _engine = NewEngine();
        _writer = backend.OpenWriter();
        MigrationRunner.Apply(_writer, backend.Dialect, clock.GetUtcNow());
        Rebuild();
        _writeLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Opens the store: creates and migrates the database if needed, and starts with an empty working
    /// set that loads what requests touch (decision 007). Only a database written before documents
    /// existed has its log replayed, once, to write them.
    /// </summary>
    public static CommandStore Open(StoreOptions options, PlanCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clock);
        var backend = Backend.Create(options);
        try
        {
            return new CommandStore(backend, catalog, clock, options);
        }
        catch
        {
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The plans and policy every command is judged by; fixed for the store's life, so reading it waits for nothing.</summary>
    public PlanCatalog Catalog => _catalog;

    /// <summary>"sqlite" or "postgres".</summary>
    public string Dialect => _backend.Dialect;

    /// <summary>The sequence number of the last command this process has applied (its own or another's).</summary>
    public long LastSeq
    {
        get => Interlocked.Read(ref _lastSeq);
    }

    /// <summary>How many batches found, when they claimed what they wrote, that another process had changed it first, and ran again (decision 017).</summary>
    public long ClaimConflicts => Interlocked.Read(ref _conflicts);

    /// <summary>The writer's instruments (meter <c>InMail.Store</c>, scoped to this store): where its batches' time goes.</summary>
    public StoreMetrics Metrics { get; }

    /// <summary>True until a write fails in a way that stops the store (then every request is refused).</summary>
    public bool IsHealthy => !_queue.Reader.Completion.IsCompleted && !Volatile.Read(ref _broken);

    // Set when a failure left the database out of reach: memory was forgotten, and the next batch reconnects first.
    private bool _broken;

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

    /// <summary>
    /// Like <see cref="ExecuteAsync(Command, string, string?, IReadOnlyList{Write}?, Func{InMailEngine, DateTimeOffset, object, object}?, CancellationToken)"/>
    /// for a command whose result type is known: <paramref name="present"/> turns its <typeparamref name="TResult"/> into the
    /// <typeparamref name="TView"/> the caller answers with, while the writer still holds the engine. A retry whose first
    /// answer came back from the database (decision 007) has no live result to present: it answers with that JSON as it was kept.
    /// </summary>
    public async Task<Outcome<Presented<TView>>> ExecuteAsync<TResult, TView>(Command<TResult> command, string actor, string? idempotencyKey,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present, IReadOnlyList<Write>? alongside = null, CancellationToken cancellationToken = default)
        where TResult : notnull
        where TView : notnull
    {
        ArgumentNullException.ThrowIfNull(present);
        // The writer runs every command through its boxed Apply; these casts undo that boxing, and only here.
        var outcome = await ExecuteAsync(command, actor, idempotencyKey, alongside, (e, now, result) => present(e, now, (TResult)result),
            cancellationToken).ConfigureAwait(false);
        if (!outcome.IsSuccess)
        {
            return outcome.Refusal;
        }
        return outcome.Value.Value is StoredResult stored
            ? Presented<TView>.FromStore(stored)
            : Presented<TView>.Live((TView)outcome.Value.Value, outcome.Value.Replayed);
    }

    /// <summary>Writes rows that are not engine state (accounts, access tokens) through the same writer, durably.</summary>
    public async Task WriteAsync(IReadOnlyList<Write> writes, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(null, "", null, writes);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the state at the clock's now, as this process knows it. Reads never see a command that is
    /// not yet on disk. This blocks its thread while the writer commits: for tools, tests and start-up;
    /// a request uses <see cref="ReadAsync{T}"/>.
    /// </summary>
    public T Read<T>(Func<InMailEngine, DateTimeOffset, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _gate.Wait();
        try
        {
            return query(_engine, Stamp());
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException)
        {
            ForgetAfterFailedRead(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A read that failed in the database may have left an aggregate half loaded (a member without its lots): the
    /// working set is forgotten and the source's connection closed, so the next read loads whole from a new one.
    /// Call under the gate.
    /// </summary>
    private void ForgetAfterFailedRead(Exception e)
    {
        _source.Reset();
        ForgetEverything();
        _notify?.Invoke(new StoreNotice(StoreEvent.ForgotAfterFailedRead, LastSeq, Error: e));
    }

    /// <summary>Like <see cref="Read{T}"/>, but first applies what other processes sharing the database have logged, so a read sees every write acknowledged before it began.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<InMailEngine, DateTimeOffset, T> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_perKey is not null)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return query(_engine, Stamp());
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException)
        {
            ForgetAfterFailedRead(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Like <see cref="ReadAsync{T}"/>, but with every aggregate loaded first: for views of the whole
    /// system (the demo clock's summary, test mode's state), which only small databases should ask for.
    /// </summary>
    public async ValueTask<T> ReadWholeAsync<T>(Func<InMailEngine, DateTimeOffset, T> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = await QueryAsync("SELECT key FROM aggregates", [], r =>
        {
            var list = new List<AggregateKey>();
            while (r.Read())
            {
                list.Add(AggregateKey.Parse(r.GetString(0)));
            }
            return list;
        }, cancellationToken).ConfigureAwait(false);
        return await ReadAsync((e, now) =>
        {
            foreach (var key in keys)
            {
                _ = e.State.Load(key);
            }
            return query(e, now);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A page of the members other than <paramref name="exclude"/> whose name, company or headline contains
    /// <paramref name="text"/> (any case), by name then id: at most <paramref name="take"/>, after the page whose
    /// <see cref="MemberSearchPage.Next"/> is <paramref name="cursor"/> (null: from the first). Throws
    /// <see cref="FormatException"/> for a cursor this did not make.
    /// </summary>
    public async Task<MemberSearchPage> SearchMembersAsync(string text, string exclude, int take, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var after = cursor is null ? ((string Name, string Id)?)null : ReadMemberCursor(cursor);
        var pattern = LikePattern(text);
        var like = $"LIKE {Parameter(1)} ESCAPE '\\'";
        var past = after is null ? "" : $"AND (lower(name) > {Parameter(3)} OR (lower(name) = {Parameter(3)} AND id > {Parameter(4)}))";
        var rows = await QueryAsync($"""
            SELECT id, lower(name) FROM members
            WHERE id <> {Parameter(0)} AND (lower(name) {like} OR lower(coalesce(company, '')) {like} OR lower(coalesce(headline, '')) {like}) {past}
            ORDER BY lower(name), id LIMIT {Parameter(2)}
            """, after is { } a ? [exclude, pattern, (long)take + 1, a.Name, a.Id] : [exclude, pattern, (long)take + 1], r =>
        {
            var list = new List<(string Id, string Name)>();
            while (r.Read())
            {
                list.Add((r.GetString(0), r.GetString(1)));
            }
            return list;
        }, cancellationToken).ConfigureAwait(false);
        var page = rows.Take(take).ToList();
        return new MemberSearchPage([.. page.Select(p => p.Id)], rows.Count > take ? WriteMemberCursor(page[^1].Name, page[^1].Id) : null);
    }

    private static string WriteMemberCursor(string name, string id) => Cursor($"{id}|{name}");

    private static (string Name, string Id) ReadMemberCursor(string cursor)
    {
        try
        {
            var text = CursorText(cursor);
            var cut = text.IndexOf('|', StringComparison.Ordinal);
            if (cut <= 0 || !Identifiers.IsValid(text[..cut]))
            {
                throw new FormatException("not a member search cursor");
            }
            return (text[(cut + 1)..], text[..cut]);
        }
        catch (FormatException e)
        {
            throw new FormatException("The cursor is not one a member search page gave.", e);
        }
    }

    /// <summary>
    /// Ids of members whose whole name is one of <paramref name="names"/>, any case (as the database
    /// lowers it): how a pasted list or an uploaded file names people. The caller decides what a
    /// name that several members share means.
    /// </summary>
    public async Task<List<string>> MembersNamedAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var ids = new List<string>();
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(200))
        {
            var list = string.Join(", ", chunk.Select((_, i) => $"lower({Parameter(i)})"));
            ids.AddRange(await Ids($"SELECT id FROM members WHERE lower(name) IN ({list}) ORDER BY id", [.. chunk], cancellationToken).ConfigureAwait(false));
        }
        return ids;
    }

    /// <summary>Who has invited <paramref name="member"/> and waits for an answer.</summary>
    public Task<List<string>> InvitersOfAsync(string member, CancellationToken cancellationToken = default) =>
        Ids($"SELECT from_id FROM invitations WHERE to_id = {Parameter(0)}", [member], cancellationToken);

    /// <summary>The teams that offer <paramref name="member"/> a seat.</summary>
    public Task<List<string>> TeamsOfferingAsync(string member, CancellationToken cancellationToken = default) =>
        Ids($"SELECT team_id FROM team_seat_offers WHERE member_id = {Parameter(0)}", [member], cancellationToken);

    /// <summary>
    /// Due work by <paramref name="upTo"/>: pending scheduled sends and active enrolments' next
    /// steps, in the order they run (<see cref="DueWorkItem.Order"/>); at most <paramref name="take"/>.
    /// </summary>
    public Task<List<DueWorkItem>> DueWorkAsync(DateTimeOffset upTo, int take, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT due_at, created_at, owner_id, id, '' AS to_id, {(int)DueWorkKind.Schedule} AS kind FROM scheduled_sends WHERE status = 'pending' AND due_at <= {Parameter(0)} " +
            $"UNION ALL SELECT next_due_at, enrolled_at, owner_id, sequence_id, to_id, {(int)DueWorkKind.Step} FROM sequence_enrollments WHERE status = 'active' AND next_due_at <= {Parameter(0)} " +
            $"UNION ALL SELECT due_at, set_at, member_id, kind, other_id, CASE WHEN kind = 'snooze' THEN {(int)DueWorkKind.Snooze} ELSE {(int)DueWorkKind.Reminder} END FROM conversation_timers WHERE due_at <= {Parameter(0)} " +
            $"ORDER BY 1, 2, 3, 4, 5 LIMIT {Parameter(1)}",
            [upTo.ToUniversalTime(), (long)take], r =>
            {
                var due = new List<DueWorkItem>();
                while (r.Read())
                {
                    due.Add(new DueWorkItem(_backend.ReadInstant(r, 0), _backend.ReadInstant(r, 1), r.GetString(2), r.GetString(3), r.GetString(4) is { Length: > 0 } to ? to : null, (DueWorkKind)Convert.ToInt32(r.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)));
                }
                return due;
            }, cancellationToken);

    /// <summary>When the next piece of due work (a scheduled send, a sequence step, a snooze's end, a reminder) falls due, if any.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        var schedule = await QueryAsync("SELECT due_at FROM scheduled_sends WHERE status = 'pending' ORDER BY due_at LIMIT 1", [],
            r => r.Read() ? _backend.ReadInstant(r, 0) : (DateTimeOffset?)null, cancellationToken).ConfigureAwait(false);
        var step = await QueryAsync("SELECT next_due_at FROM sequence_enrollments WHERE status = 'active' ORDER BY next_due_at LIMIT 1", [],
            r => r.Read() ? _backend.ReadInstant(r, 0) : (DateTimeOffset?)null, cancellationToken).ConfigureAwait(false);
        var timer = await QueryAsync("SELECT due_at FROM conversation_timers ORDER BY due_at LIMIT 1", [],
            r => r.Read() ? _backend.ReadInstant(r, 0) : (DateTimeOffset?)null, cancellationToken).ConfigureAwait(false);
        return new[] { schedule, step, timer }.Where(t => t is not null).Min();
    }

    /// <summary>Every group's id.</summary>
    public Task<List<string>> GroupIdsAsync(CancellationToken cancellationToken = default) => Ids("SELECT id FROM groups", [], cancellationToken);

    private Task<List<string>> Ids(string sql, object?[] parameters, CancellationToken cancellationToken) => QueryAsync(sql, parameters, r =>
    {
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }
        return ids;
    }, cancellationToken);

    /// <summary>Runs a query on a connection of its own (accounts, reports); never the engine's state.</summary>
    public async Task<T> QueryAsync<T>(string sql, object?[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = _backend.Open();
        await using var command = connection.CreateCommand();
        Bind(command, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return read(reader);
    }

    /// <summary>Sets a command's text and its positional parameters, instants as this database stores them.</summary>
    private void Bind(System.Data.Common.DbCommand command, string sql, object?[] parameters)
    {
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
    }

    /// <summary>Reads an instant column the way this database stores it.</summary>
    public DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => _backend.ReadInstant(reader, ordinal);

    /// <summary>The parameter marker for the i-th (0-based) parameter of <see cref="QueryAsync{T}"/>.</summary>
    public string Parameter(int i) => _backend.Dialect == "postgres" ? $"${i + 1}" : $"@p{i}";

    /// <summary>Stops taking requests, finishes the queued ones, and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        _notify?.Invoke(new StoreNotice(StoreEvent.Stopping, LastSeq, Detail: _queue.Reader.CanCount ? _queue.Reader.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
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
            _gate.Dispose();
            Metrics.Dispose();
        }
        _notify?.Invoke(new StoreNotice(StoreEvent.Stopped, LastSeq));
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
            var failure = RecoverBeforeWriting()
                ?? (_perKey is { } perKey ? CommitClaimed(perKey, batch, writes, scopes) : CommitExclusive(batch, writes, scopes));
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
    }

    /// <summary>
    /// One writer of the database at a time (SQLite; decision 003): the batch's transaction holds the database's
    /// write lock from the read of what others logged to the commit. Returns the failure, if the batch failed.
    /// </summary>
    private Exception? CommitExclusive(List<Pending> batch, List<Write> writes, Scopes scopes)
    {
        Exception? failure = null;
        _gate.Wait(); // the writer's own thread: it may block
        try
        {
            // Apply and commit under one lock: a read sees none of the batch or all of it, durable.
            var firstSeq = _lastSeq;
            var counterBefore = 0L;
            try
            {
                var clock = Metrics.StartBatch();
                ApplyLogged(Begin());
                firstSeq = _batchSeq = _lastSeq;
                counterBefore = _engine.State.LastMessageNumber;
                Prefetch(batch);
                clock.Lap("read");
                foreach (var p in batch)
                {
                    Run(p, writes, scopes);
                }
                clock.Lap("decide");
                _projector.Sync(_engine.State, scopes, writes);
                clock.Lap("project");
                var (stored, written, bytes) = WriteDocuments(scopes, writes, firstSeq, _engine.State.LastMessageNumber != counterBefore);
                clock.Lap("documents");
                _backend.Commit(_writer, writes);
                clock.Lap("commit");
                _lastSeq = _batchSeq;
                Committed(stored);
                if (writes.Count > 0)
                {
                    Metrics.Committed(batch.Count, written.Count, bytes);
                }
            }
#pragma warning disable CA1031 // Any failure of the database leaves memory ahead of disk; the batch is refused and the engine rebuilt.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = Failed(e, firstSeq);
            }
        }
        finally
        {
            _source.ForgetPrefetched();
            _gate.Release();
        }
        return failure;
    }

    /// <summary>What follows a batch's commit, before anyone is answered: what it stored is marked kept, and the working set is emptied when it passed its limit.</summary>
    private void Committed(List<AggregateKey> stored)
    {
        _engine.State.MarkStored(stored);
        _outreachFacts.Touched(stored);
        if (_engine.State.LoadedCount > _workingSetLimit)
        {
            ForgetEverything();
        }
    }

    /// <summary>A batch failed in the database: roll back, forget what memory holds beyond it, start again from the database; returns the failure to answer with.</summary>
    private Exception Failed(Exception e, long seqBefore)
    {
        _backend.Abort(_writer);
        _lastSeq = seqBefore;
        Exception? failure = e;
        TryRebuild(ref failure);
        return failure!;
    }

    /// <summary>How many times a batch runs again after finding what it wrote changed by another process, before it is refused.</summary>
    private const int MaxClaimAttempts = 32;

    /// <summary>
    /// Decision 017 (PostgreSQL): the batch applies in memory, then claims each aggregate it writes at the
    /// version it read it at, and each idempotency key it used, in the transaction that writes them. The claim
    /// locks only those keys, so batches of other processes on other members commit beside it. If another
    /// process changed one first, nothing is written: the working set is forgotten (it holds the batch's
    /// uncommitted changes) and the batch runs again from what is committed. Returns the failure, if any.
    /// </summary>
    private Exception? CommitClaimed(PostgresBackend backend, List<Pending> batch, List<Write> writes, Scopes scopes)
    {
        for (var attempt = 1; ; attempt++)
        {
            writes.Clear();
            scopes.Clear();
            _gate.Wait(); // the writer's own thread: it may block
            var before = _lastSeq;
            try
            {
                var clock = Metrics.StartBatch();
                var (feed, early) = TakeFeed(batch);
                ApplyFeed(feed);
                before = _batchSeq = _lastSeq;
                Prefetch(batch);
                clock.Lap("read");
                foreach (var p in batch)
                {
                    Run(p, writes, scopes);
                }
                if (early && batch.Exists(p => p.Command is not null && !p.Outcome.IsSuccess) && RefusedOnStaleFeed())
                {
                    continue; // decide the batch again on what is committed now
                }
                clock.Lap("decide");
                _projector.Sync(_engine.State, scopes, writes);
                clock.Lap("project");
                var (stored, written, bytes) = WriteDocuments(scopes, writes, before, namedMessages: false);
                clock.Lap("documents");
                if (writes.Count == 0)
                {
                    return null; // refused or replayed: nothing to write
                }
                var claim = new Claim([.. stored.Select(k => (k.ToString(), _source.Versions.GetValueOrDefault(k)))], [.. scopes.IdempotencyKeys]);
                var sent = System.Diagnostics.Stopwatch.GetTimestamp();
                var done = backend.CommitClaimed(_writer, claim, writes, _queue.Reader.Count > 0 ? _feedBound : null);
                _lastSeq = Math.Max(_lastSeq, done.LastSeq);
                foreach (var key in written)
                {
                    _source.Versions[key] = done.LastSeq;
                }
                _ownTx.Add(done.Tx);
                _nextFeed = done.Next;
                _nextFeedSent = sent;
                clock.Lap("commit");
                Committed(stored);
                Metrics.Committed(batch.Count, written.Count, bytes);
                return null;
            }
            catch (StaleClaimException e)
            {
                backend.Abort(_writer);
                _nextFeed = null;
                ForgetEverything();
                Interlocked.Increment(ref _conflicts);
                if (attempt >= MaxClaimAttempts)
                {
                    return new InvalidOperationException($"the batch found what it wrote changed by another process {attempt} times in a row", e);
                }
            }
#pragma warning disable CA1031 // Any failure of the database leaves memory ahead of disk; the batch is refused and the engine rebuilt.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _nextFeed = null;
                return Failed(e, before);
            }
            finally
            {
                _source.ForgetPrefetched();
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// The feed to start <paramref name="batch"/> with: the one the last commit read, in its round trip, when there is
    /// one; otherwise one read now. <c>Early</c> is true when some request of the batch was made after that commit was
    /// sent, so a write another server acknowledged in between may be missing from it. What the batch writes is checked
    /// by its claim anyway; what it refuses is checked by <see cref="RefusedOnStaleFeed"/>.
    /// </summary>
    private (Feed Feed, bool Early) TakeFeed(List<Pending> batch)
    {
        var next = _nextFeed;
        _nextFeed = null;
        if (next is not null)
        {
            return (next, !batch.TrueForAll(p => p.Asked <= _nextFeedSent));
        }
        return (ReadFeedOnWriter(), false);
    }

    /// <summary>
    /// A batch that refused a request on an early feed reads the feed again before it commits: if another server
    /// committed meanwhile, the working set (with the batch's uncommitted changes) is forgotten and true returned, and
    /// the batch is decided again, so that no request is refused on a state older than the request (a purchase another
    /// server acknowledged just before a send). Refusals are few, so this round trip is rare. Call under the gate.
    /// </summary>
    private bool RefusedOnStaleFeed()
    {
        var feed = ReadFeedOnWriter();
        var moved = feed.Rows.Exists(r => !_feedSeen.ContainsKey(r.Seq) && !_ownTx.Contains(r.Tx));
        if (moved)
        {
            ForgetEverything();
        }
        ApplyFeed(feed);
        return moved;
    }

    /// <summary>Reads the feed on the writer's connection (<see cref="OnWriter{T}"/>).</summary>
    private Feed ReadFeedOnWriter() =>
        OnWriter("read what other servers logged", () => PostgresBackend.ReadFeed(_writer, _feedBound));

    /// <summary>
    /// Takes in what the feed shows (decision 017): each command is seen once, whatever order commits ended in;
    /// what another process's commands touched leaves memory, to load again from the documents it wrote. Call under the gate.
    /// </summary>
    private void ApplyFeed(Feed feed)
    {
        foreach (var row in feed.Rows)
        {
            if (!_feedSeen.TryAdd(row.Seq, row.Tx))
            {
                continue;
            }
            if (row.Seq > _lastSeq)
            {
                _lastSeq = row.Seq;
            }
            if (row.At > _lastAt)
            {
                _lastAt = row.At;
            }
            if (_ownTx.Contains(row.Tx) || row.Touched is not { } touched)
            {
                continue;
            }
            var keys = touched.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(AggregateKey.Parse).ToList();
            foreach (var key in keys)
            {
                _engine.State.Evict(key);
                _source.Versions.Remove(key);
            }
            _outreachFacts.Touched(keys);
        }
        if (feed.Xmin > _feedBound)
        {
            _feedBound = feed.Xmin; // every transaction below it has ended and was in this read or an earlier one
            var bound = feed.Xmin;
            foreach (var seq in _feedSeen.Where(s => s.Value < bound).Select(s => s.Key).ToList())
            {
                _feedSeen.Remove(seq);
            }
            _ownTx.RemoveWhere(tx => tx < bound);
        }
    }

    /// <summary>
    /// Begins the batch's transaction. Nothing is written yet, so a failure here (a connection the
    /// database or the network dropped while the writer was idle) is retried once on a new connection
    /// before the batch is refused.
    /// </summary>
    private List<LoggedCommand> Begin() =>
        OnWriter("begin a transaction", () => _backend.BeginExclusive(_writer, _lastSeq));

    /// <summary>
    /// Runs <paramref name="step"/> on the writer's connection; a failure of the connection itself (one the database or
    /// the network dropped while the writer was idle, or one left closed) is retried once on a new connection.
    /// Only for steps that write nothing.
    /// </summary>
    private T OnWriter<T>(string doing, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or InvalidOperationException)
        {
            _notify?.Invoke(new StoreNotice(StoreEvent.WriterRetried, LastSeq, doing, e));
            _backend.Abort(_writer);
            _writer.Dispose();
            _writer = _backend.OpenWriter();
            return step();
        }
    }

    /// <summary>Reads the documents the batch's commands will load and memory lacks, in one query (<see cref="BatchPrefetch"/>).</summary>
    private void Prefetch(List<Pending> batch)
    {
        var keys = new HashSet<AggregateKey>();
        foreach (var p in batch)
        {
            if (p.Command is { } command)
            {
                BatchPrefetch.AddKeys(command, keys);
            }
        }
        keys.RemoveWhere(_engine.State.Knows);
        _source.Prefetch(keys);
    }

    /// <summary>Waits for requests; false once the store is closing and nothing is left.</summary>
    private bool NextBatchReady() => _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();

    private void Run(Pending p, List<Write> writes, Scopes scopes)
    {
        if (p.Command is not { } command)
        {
            writes.AddRange(p.Alongside!);
            return;
        }
        var now = Stamp();
        scopes.Add(_engine.State, command); // before: who may leave a team
        _drawn.Clear();
        var outcome = Apply(_engine, command, p.Actor, p.Key, now);
        _engine.State.TakeArchivedByCap(scopes.Conversations); // the inbox cap's archiving, whatever the command
        p.Outcome = outcome.IsSuccess && p.Present is { } present && outcome.Value.Value is not StoredResult
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
        var numbers = _drawn.Count == 0 ? null : string.Join(',', _drawn.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        writes.Add(new Write(Tables.CommandLog, WriteKind.Append, [++_batchSeq, now, p.Actor, p.Key, CommandJson.Write(command), null, numbers]));
        if (p.Key is not null)
        {
            var json = _resultJson is { } serialize && p.Outcome.IsSuccess ? Serialize(serialize, p.Outcome.Value.Value) : null;
            writes.Add(new Write(Tables.IdempotencyResults, WriteKind.Upsert, [p.Actor, p.Key, json]));
        }
        if (p.Alongside is { } extra)
        {
            writes.AddRange(extra);
        }
    }

    /// <summary>The first answer as JSON; null when it cannot be written as JSON (it is then not kept, and a late retry gets null).</summary>
    private static string? Serialize(Func<object, string?> serialize, object result)
    {
        try
        {
            return serialize(result);
        }
#pragma warning disable CA1031 // An answer that cannot be serialised is not kept; the command itself stands.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>
    /// After a failed batch memory is ahead of the database: forget it at once (no read may see it), then start
    /// again from the database. If the database cannot be reached for that either, the store is marked broken: it
    /// answers 503 and reports unhealthy, and tries again before its next batch, instead of stopping for good.
    /// </summary>
    private void TryRebuild(ref Exception? failure)
    {
        _source.Reset();
        ForgetEverything();
        try
        {
            Reconnect();
            Volatile.Write(ref _broken, false);
            _notify?.Invoke(new StoreNotice(StoreEvent.Rebuilt, LastSeq, Error: failure));
        }
#pragma warning disable CA1031 // The database is still out of reach: both failures are reported, and the next batch tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = new AggregateException(failure!, e);
            Volatile.Write(ref _broken, true);
            _notify?.Invoke(new StoreNotice(StoreEvent.Unreachable, LastSeq, Error: failure));
        }
    }

    /// <summary>A new writer connection, then <see cref="Rebuild"/>: what a process does after it lost the database, before it writes again.</summary>
    private void Reconnect()
    {
        _writer.Dispose(); // any transaction was rolled back already (Failed), or never began
        _writer = _backend.OpenWriter();
        Rebuild();
    }

    /// <summary>
    /// Before a batch, when the last failure left the store broken: reconnect and start again from the database.
    /// Returns the failure when it still cannot be reached (the batch is then refused, and nothing was written).
    /// </summary>
    private Exception? RecoverBeforeWriting()
    {
        if (!Volatile.Read(ref _broken))
        {
            return null;
        }
        _gate.Wait();
        try
        {
            Reconnect();
            Volatile.Write(ref _broken, false);
            _notify?.Invoke(new StoreNotice(StoreEvent.Reconnected, LastSeq));
            return null;
        }
#pragma warning disable CA1031 // Still out of reach: the batch is refused and the store stays broken.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _source.Reset();
            return e;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Starts from nothing in memory (decision 007): the working set loads what requests touch, so
    /// start-up reads only the log's last row, whatever its length. A database whose log predates the
    /// documents has its log replayed once, into a plain engine, to write them. Runs before the writer
    /// starts, or on the writer's thread holding the gate.
    /// </summary>
    private void Rebuild()
    {
        _source.Reset();
        _outreachFacts.Clear();
        var (seq, at) = _backend.LogTail(_writer);
        if (seq > 0 && !Backend.HasDocuments(_writer))
        {
            WriteEveryDocument();
        }
        ForgetEverything();
        _lastSeq = seq;
        _lastAt = at;
        if (_perKey is not null)
        {
            _feedBound = PostgresBackend.StartFeed(_writer);
            _feedSeen.Clear();
            _ownTx.Clear();
            _nextFeed = null;
        }
    }

    private InMailEngine NewEngine()
    {
        var engine = new InMailEngine(_catalog);
        engine.State.Attach(_source, _catalog);
        engine.State.ConversationsInMemberDocument = _conversationsInMemberDocument;
        if (_perKey is not null)
        {
            engine.State.MessageNumbers = NextMessageNumber;
        }
        // A loaded aggregate is what the tables hold: the projection cache learns it, writing nothing.
        engine.State.Loaded = key => _projector.Prime(engine.State, key);
        return engine;
    }

    /// <summary>Empties the working set and the projection cache; both fill again on demand.</summary>
    private void ForgetEverything()
    {
        _engine = NewEngine();
        _projector = new Projector();
        _source.Versions.Clear();
    }

    /// <summary>
    /// Decision 017: the next message number from the block this process holds, a new block of 1,000 from the
    /// database when it is used up. The command's log row keeps the numbers it drew, for a replay.
    /// </summary>
    private long NextMessageNumber()
    {
        if (_nextNumber > _lastNumber)
        {
            var block = _perKey!.NextMessageBlock();
            _nextNumber = (block * 1000) + 1;
            _lastNumber = (block * 1000) + 1000;
        }
        _drawn.Add(_nextNumber);
        return _nextNumber++;
    }

    /// <summary>The one-time upgrade of a database written before documents: replay the log, write every aggregate's document.</summary>
    private void WriteEveryDocument()
    {
        var engine = new InMailEngine(_catalog);
        long last = 0;
        foreach (var row in _backend.ReadLog(_writer, 0))
        {
            // A command logged by a claiming writer (decision 017) names its messages from the numbers its row keeps.
            var numbers = row.MessageNumbers?.Split(',').Select(n => long.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).GetEnumerator();
            engine.State.MessageNumbers = numbers is null ? null : () => numbers.MoveNext() ? numbers.Current
                : throw new InvalidOperationException($"command {row.Seq} of the log names more messages than its row keeps numbers for");
            var outcome = Apply(engine, CommandJson.Read(row.Json), row.Actor, row.Key, row.At);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"command {row.Seq} of the log was accepted once but is refused on replay ({outcome.Refusal}); the log and the engine disagree");
            }
            last = row.Seq;
        }
        var writes = new List<Write>();
        foreach (var key in AggregateCodec.LoadedKeys(engine.State))
        {
            writes.Add(new Write(Tables.Aggregates, WriteKind.Upsert, [key.ToString(), last, System.Text.Encoding.UTF8.GetString(AggregateCodec.Write(engine.State, key)!)]));
        }
        _backend.BeginExclusive(_writer, last);
        _backend.Commit(_writer, writes);
    }

    /// <summary>
    /// Adds the documents of every aggregate the batch touched, and names them on the batch's last log row. Returns
    /// the keys the batch touched, and of those the ones that have a document (an aggregate that does not exist has none).
    /// </summary>
    private (List<AggregateKey> Touched, List<AggregateKey> Written, long Bytes) WriteDocuments(Scopes scopes, List<Write> writes, long firstSeq, bool namedMessages)
    {
        if (_batchSeq == firstSeq)
        {
            return ([], [], 0); // nothing was logged: nothing changed
        }
        var keys = new List<AggregateKey>();
        foreach (var (id, _) in scopes.Members)
        {
            keys.Add(AggregateKey.ForMember(id));
            if (_engine.State.FindMember(id) is { NotificationsChanged: true })
            {
                keys.Add(AggregateKey.ForNotifications(id)); // their own document: rewritten when they change, not at every send
            }
        }
        keys.AddRange(scopes.Teams.Select(AggregateKey.ForTeam));
        keys.AddRange(scopes.Groups.Select(AggregateKey.ForGroup));
        keys.AddRange(scopes.Conversations.Select(AggregateKey.ForConversation));
        if (namedMessages)
        {
            keys.Add(AggregateKey.Globals); // only when the batch named a message: otherwise every batch would touch, and lock, the counter
        }
        var touched = new System.Text.StringBuilder();
        var written = new List<AggregateKey>(keys.Count);
        var bytes = 0L;
        foreach (var key in keys)
        {
            if (AggregateCodec.Write(_engine.State, key) is not { } doc)
            {
                continue;
            }
            written.Add(key);
            bytes += doc.Length;
            var name = key.ToString();
            writes.Add(new Write(Tables.Aggregates, WriteKind.Upsert, [name, _batchSeq, System.Text.Encoding.UTF8.GetString(doc)]));
            touched.Append(touched.Length == 0 ? "" : "\n").Append(name);
        }
        for (var i = writes.Count - 1; i >= 0; i--)
        {
            if (writes[i].Table == Tables.CommandLog)
            {
                writes[i].Row[TouchedColumn] = touched.ToString();
                break;
            }
        }
        return (keys, written, bytes);
    }

    /// <summary>The position of <c>touched</c> in a log row (seq, at, actor, idempotency key, command, touched, message numbers).</summary>
    private const int TouchedColumn = 5;

    /// <summary>
    /// Takes in commands logged after <see cref="_lastSeq"/> by another process: what they touched
    /// leaves memory, to load again from the documents they wrote. Call under the gate.
    /// </summary>
    private void ApplyLogged(List<LoggedCommand> rows)
    {
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
            if (row.Touched is { } touched)
            {
                var keys = touched.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(AggregateKey.Parse).ToList();
                foreach (var key in keys)
                {
                    _engine.State.Evict(key);
                }
                _outreachFacts.Touched(keys);
            }
            _lastSeq = row.Seq;
            if (row.At > _lastAt)
            {
                _lastAt = row.At;
            }
        }
    }

    /// <summary>
    /// Reads the feed and takes it in, so that a read sees every write acknowledged before it asked. Refreshes run
    /// one at a time, and one serves every request that asked before it began: under load, a burst of reads costs
    /// one feed read, not one each queued behind the other.
    /// </summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _refreshBegan) >= asked)
            {
                return; // a refresh that began after this request asked has been taken in: it saw every write acknowledged before
            }
            var began = System.Diagnostics.Stopwatch.GetTimestamp();
            Feed feed;
            await using (var connection = _backend.Open())
            {
                feed = PostgresBackend.ReadFeed(connection, Volatile.Read(ref _feedBound));
            }
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ApplyFeed(feed);
            }
            finally
            {
                _gate.Release();
            }
            Volatile.Write(ref _refreshBegan, began);
        }
        finally
        {
            _refresh.Release();
        }
    }

    // When the last completed refresh began to read (a Stopwatch timestamp).
    private long _refreshBegan;

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

        /// <summary>When the request was made (a Stopwatch timestamp).</summary>
        public long Asked { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
        public TaskCompletionSource<Outcome<Idempotent<object>>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The database could not be written; the request was not carried out (HTTP 503).</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
