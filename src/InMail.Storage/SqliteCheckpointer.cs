using Microsoft.Data.Sqlite;

namespace InMail.Storage;

/// <summary>
/// Folds SQLite's write-ahead log into the database file on a thread of its own, so that the writer's commits never
/// pay for it. By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: measured in a send
/// run, one batch in twenty then took 18–22 ms to commit instead of 4 (bench/README.md, "Where the writer's time goes").
/// The writer's connection turns that off (<c>wal_autocheckpoint=0</c>) and signals this thread after each commit; it
/// runs a <c>PASSIVE</c> checkpoint, which copies committed pages without blocking the writer or readers, at most every
/// <see cref="Pause"/>. When a busy writer never lets the log start over and it passes <see cref="RestartPages"/>, a
/// <c>RESTART</c> checkpoint makes the next commit start it again; it waits at most <see cref="RestartWait"/> for
/// readers and gives up otherwise, to try again later. Durability does not depend on any of this: every commit is in
/// the log, synced, before it is acknowledged, and an unfinished checkpoint is finished by the next one or at the next open.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The shortest time between two checkpoints: each copies what several commits wrote.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(25);

    /// <summary>Log pages (4 KB each) past which the log is made to start over.</summary>
    public const int RestartPages = 16_384;

    /// <summary>How long a <c>RESTART</c> waits for readers of older snapshots before it gives up until the next round.</summary>
    public static readonly TimeSpan RestartWait = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly Action<Exception>? _failed;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    public SqliteCheckpointer(string connectionString, Action<Exception>? failed)
    {
        _connectionString = connectionString;
        _failed = failed;
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Says a commit added pages to the log. Cheap; never blocks.</summary>
    public void Committed()
    {
        if (_committed.CurrentCount == 0)
        {
            try
            {
                _committed.Release();
            }
            catch (SemaphoreFullException)
            {
                // another commit signalled first: one checkpoint covers both
            }
        }
    }

    private void Loop()
    {
        SqliteConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    _committed.Wait(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                try
                {
                    connection ??= Open();
                    var (log, _) = Checkpoint(connection, "PASSIVE");
                    if (log >= RestartPages)
                    {
                        Checkpoint(connection, "RESTART");
                    }
                }
#pragma warning disable CA1031 // A failed checkpoint loses nothing: the pages stay in the log, and the next round (or the next open) copies them.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _failed?.Invoke(e);
                    connection?.Dispose();
                    connection = null;
                }
                if (_stop.Token.WaitHandle.WaitOne(Pause))
                {
                    break;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={(int)RestartWait.TotalMilliseconds}";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs one checkpoint; returns the pages in the log and how many of them are now in the database file.</summary>
    private static (long Log, long Copied) Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
        _committed.Dispose();
    }
}
