using InMail.Storage;

namespace InMail.Web.Hosting;

/// <summary>
/// The service's own log lines, source-generated: one template and one stable event id each, so a
/// log search can count them (1xxx start and stop, 2xxx the store, 3xxx demo mode; DueWork and Edge
/// keep theirs beside their code, 4xxx and 5xxx).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Listening on {Url}; the API's documentation is at {Docs}")]
    public static partial void Listening(ILogger logger, string url, string docs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Reach}")]
    public static partial void DemoReach(ILogger logger, string reach);

    // Decision 007: the store replays nothing at start; it reads the log's last row and loads the rest on demand.
    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Store open on {Database}: the command log ends at seq {LastSeq}; the working set loads on demand; mode {Mode}")]
    public static partial void StoreOpen(ILogger logger, string database, long lastSeq, ServiceMode mode);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Stopping: finishing the requests in flight, then closing the database")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "The writer could not {Step}; retrying once on a new connection (log at seq {LastSeq})")]
    public static partial void StoreWriterRetried(ILogger logger, string step, long lastSeq, Exception? exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "A batch failed in the database and its requests were refused; the store forgot its working set and started again from the database (log at seq {LastSeq})")]
    public static partial void StoreRebuilt(ILogger logger, long lastSeq, Exception? exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "The database cannot be reached; requests that change something are answered 503 until it can, and the next one tries again (log at seq {LastSeq})")]
    public static partial void StoreUnreachable(ILogger logger, long lastSeq, Exception? exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The database can be reached again; the store started again from it (log at seq {LastSeq})")]
    public static partial void StoreReconnected(ILogger logger, long lastSeq);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "A read failed in the database; the store forgot its working set, and the next read loads on a new connection (log at seq {LastSeq})")]
    public static partial void StoreForgotAfterFailedRead(ILogger logger, long lastSeq, Exception? exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "The store takes no more commands: it commits the {Queued} queued, then closes the database (log at seq {LastSeq})")]
    public static partial void StoreStopping(ILogger logger, string queued, long lastSeq);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "The store closed the database; the command log ends at seq {LastSeq}")]
    public static partial void StoreStopped(ILogger logger, long lastSeq);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "SQLite: folding the write-ahead log into the database file failed; nothing is lost, the next round tries again")]
    public static partial void StoreCheckpointFailed(ILogger logger, Exception? error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Operator account '{Operator}' is ready")]
    public static partial void OperatorReady(ILogger logger, string @operator);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Demo network seeded: {Steps} commands in {Elapsed} ms")]
    public static partial void DemoSeeded(ILogger logger, int steps, int elapsed);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Demo mode: {SignIns} sign-ins printed; the operator can move the clock with POST /api/v1/operator/clock/advance")]
    public static partial void DemoSignIns(ILogger logger, int signIns);

    /// <summary>Logs what the store reports on its own (<see cref="StoreOptions.Notify"/>), each kind under its own event.</summary>
    public static void Store(ILogger logger, StoreNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        switch (notice.Event)
        {
            case StoreEvent.WriterRetried:
                StoreWriterRetried(logger, notice.Detail ?? "", notice.LastSeq, notice.Error);
                break;
            case StoreEvent.Rebuilt:
                StoreRebuilt(logger, notice.LastSeq, notice.Error);
                break;
            case StoreEvent.Unreachable:
                StoreUnreachable(logger, notice.LastSeq, notice.Error);
                break;
            case StoreEvent.Reconnected:
                StoreReconnected(logger, notice.LastSeq);
                break;
            case StoreEvent.ForgotAfterFailedRead:
                StoreForgotAfterFailedRead(logger, notice.LastSeq, notice.Error);
                break;
            case StoreEvent.Stopping:
                StoreStopping(logger, notice.Detail ?? "?", notice.LastSeq);
                break;
            case StoreEvent.Stopped:
                StoreStopped(logger, notice.LastSeq);
                break;
            case StoreEvent.CheckpointFailed:
                StoreCheckpointFailed(logger, notice.Error);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(notice), notice.Event, "unknown store event");
        }
    }
}
