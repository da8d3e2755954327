namespace InMail.Storage;

/// <summary>
/// What a command whose result type is known answered (<see cref="CommandStore.ExecuteAsync{TResult, TView}"/>): the
/// <see cref="View"/> its presenter made, or, for a retry whose first answer came back from the database rather than from
/// memory, that answer as the database kept it (<see cref="Stored"/>), to be sent as it was first sent.
/// </summary>
/// <typeparam name="TView">What the caller's presenter makes of the command's result.</typeparam>
public sealed class Presented<TView>
    where TView : notnull
{
    private Presented(TView? view, StoredResult? stored, bool replayed)
    {
        View = view;
        Stored = stored;
        Replayed = replayed;
    }

    /// <summary>The presenter's view of the result; null exactly when the answer is <see cref="Stored"/>.</summary>
    public TView? View { get; }

    /// <summary>The first answer as the database kept it, for a retry answered from there; null when <see cref="View"/> is set.</summary>
    public StoredResult? Stored { get; }

    /// <summary>True when this is the first answer given again (an idempotent retry).</summary>
    public bool Replayed { get; }

    /// <summary>A view this process presented, from the result of the command (or, replayed, of its first run).</summary>
    public static Presented<TView> Live(TView view, bool replayed) => new(view, null, replayed);

    /// <summary>The first answer, kept in the database: always a replay.</summary>
    public static Presented<TView> FromStore(StoredResult stored) => new(default, stored ?? throw new ArgumentNullException(nameof(stored)), true);
}
