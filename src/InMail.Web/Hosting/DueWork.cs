using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using Microsoft.Extensions.Options;

namespace InMail.Web.Hosting;

/// <summary>
/// The durable scheduler of SPEC §10 (decision 009): due work lives in the database
/// (<c>scheduled_sends</c> and <c>sequence_enrollments</c>, written with the commands that create it), so it survives restarts and
/// every server sees it. Each piece runs as a logged <see cref="RunSchedule"/> or <see cref="RunStep"/> command through the
/// one writer; the engine refuses work that already ran (<c>schedule-not-pending</c>, <c>not-enrolled</c>), so when
/// several servers find the same due work, it runs once. A live server looks every half second
/// (at most a second late); what fell due while it was stopped runs at start, in due order. In
/// demo and test mode the clock moves only when the operator moves it, and each move stops at every
/// due instant on the way, so due work runs at its own instant.
/// </summary>
public sealed partial class DueWork(CommandStore store, ServiceClock clock, IOptions<ServiceOptions> options, ILogger<DueWork> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private const int Page = 500; // about the writer's largest batch (StoreOptions.MaxBatch, 512)
    private readonly SemaphoreSlim _one = new(1, 1);
    private DateTimeOffset _swept = DateTimeOffset.MinValue;

    /// <summary>How often unsent uploads are swept, and how long past their day they may linger.</summary>
    private static readonly TimeSpan Sweep = TimeSpan.FromHours(1);

    /// <summary>
    /// Runs every piece of due work by <paramref name="upTo"/>, in due order; returns how many ran.
    /// A page of it is queued to the writer at once, in due order, so that the writer takes it in
    /// a few batches, one transaction each, rather than one commit per piece: the queue keeps the
    /// order, and the engine still refuses what already ran or is not yet due, piece by piece.
    /// </summary>
    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ran = 0;
            while (true)
            {
                var due = await store.DueWorkAsync(upTo, Page, cancellationToken).ConfigureAwait(false);
                var running = new Task<Outcome<Idempotent<object>>>[due.Count];
                for (var i = 0; i < due.Count; i++)
                {
                    // Queued one after another, each before the next: the writer runs them in this order.
                    running[i] = store.ExecuteAsync(due[i].ToCommand(), due[i].Owner, cancellationToken: cancellationToken);
                }
                await Task.WhenAll(running).ConfigureAwait(false);
                var ranNow = 0;
                for (var i = 0; i < due.Count; i++)
                {
                    var (item, outcome) = (due[i], running[i].Result);
                    if (outcome.IsSuccess)
                    {
                        ranNow++;
                    }
                    else if (!item.AlreadyDone(outcome.Refusal))
                    {
                        // Another server ran it first: that is fine. Anything else (not due on this server's clock yet) is logged.
                        LogNotRun(item.Owner, item.To is null ? item.Id : $"{item.Id}/{item.To}", outcome.Refusal.CodeText);
                    }
                }
                ran += ranNow;
                // A short page is the last; a full page of which nothing ran would come back the same: look again at the next poll.
                if (due.Count < Page || ranNow == 0)
                {
                    await ForgetUnsentUploadsAsync(upTo, cancellationToken).ConfigureAwait(false);
                    return ran;
                }
            }
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// At most hourly: deletes the files uploaded more than a day (and the sweep's hour) ago that no message carries,
    /// whoever uploaded them, so abandoned uploads do not pile up in the database. Sends refuse them after a day
    /// already (<see cref="Api.Uploads.ResolveAsync"/>), so a send can never name a file this deletes.
    /// </summary>
    private async Task ForgetUnsentUploadsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - _swept < Sweep)
        {
            return;
        }
        _swept = now;
        var forgotten = await store.ForgetUnsentUploadsAsync(null, now - Api.Uploads.UnsentKept - Sweep, cancellationToken).ConfigureAwait(false);
        if (forgotten > 0)
        {
            LogForgotten(forgotten);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Deleted {Count} uploaded files that were never sent")]
    private partial void LogForgotten(int count);

    /// <summary>Moves the clock to <paramref name="target"/>, stopping at each due instant on the way to run what falls due there (demo and test modes).</summary>
    public async Task AdvanceToAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        while (await store.NextDueAsync(cancellationToken).ConfigureAwait(false) is { } next && next <= target)
        {
            if (next > clock.GetUtcNow())
            {
                clock.Set(next);
            }
            await RunDueAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        if (target > clock.GetUtcNow())
        {
            clock.Set(target);
        }
        await RunDueAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode == ServiceMode.Test)
        {
            return; // the scenario's clock decides when due work runs (PUT /operator/clock)
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(clock.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The scheduler keeps going: the work stays due and is tried again at the next look.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(e);
            }
            try
            {
                await Task.Delay(Poll, clock.Real, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Due work {Owner}/{Id} did not run: {Code}")]
    private partial void LogNotRun(string owner, string id, string code);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Due work could not run; it stays due and is tried again")]
    private partial void LogFailed(Exception exception);
}
