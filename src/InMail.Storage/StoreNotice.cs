namespace InMail.Storage;

/// <summary>What the store did on its own that its host should log (<see cref="StoreOptions.Notify"/>).</summary>
public enum StoreEvent
{
    /// <summary>A step of the writer that writes nothing failed on its connection; it runs once more on a new one. Detail: the step.</summary>
    WriterRetried,

    /// <summary>A batch failed in the database: its requests were refused, and the working set was forgotten and the store started again from the database.</summary>
    Rebuilt,

    /// <summary>After a failure the database could not be reached to start again: requests that change something are answered 503, and the next one tries again.</summary>
    Unreachable,

    /// <summary>The database, out of reach after a failure, can be reached again: the store started again from it.</summary>
    Reconnected,

    /// <summary>A read failed in the database: the working set was forgotten, and the next read loads whole on a new connection.</summary>
    ForgotAfterFailedRead,

    /// <summary>The store takes no more commands: it finishes the queued ones, then closes the database.</summary>
    Stopping,

    /// <summary>The store closed the database.</summary>
    Stopped,

    /// <summary>SQLite: folding the write-ahead log into the database file failed; nothing is lost (the pages stay in the log) and the next round tries again.</summary>
    CheckpointFailed,
}

/// <summary>One thing the store did on its own: what, the log's last seq at that point, a detail, and the failure behind it.</summary>
public sealed record StoreNotice(StoreEvent Event, long LastSeq, string? Detail = null, Exception? Error = null);
