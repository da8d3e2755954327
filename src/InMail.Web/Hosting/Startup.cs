using InMail.Storage;
using InMail.Web.Demo;
using Microsoft.Extensions.Options;

namespace InMail.Web.Hosting;

/// <summary>
/// Runs before the server takes requests: opens the store (creating and migrating the database,
/// then reading the log's last row: decision 007 replays nothing), makes sure an operator can sign in, and in demo mode seeds an empty database. On
/// shutdown the host stops Kestrel first (requests in flight finish), then disposes the store,
/// which commits what is queued before closing the database.
/// </summary>
internal sealed class Startup(IServiceProvider services, IOptions<ServiceOptions> options, ILogger<Startup> log, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<CommandStore>();
        Log.StoreOpen(log, store.Dialect, store.LastSeq, options.Value.Mode);
        await DemoSeeder.PrepareAsync(services, options.Value, log, cancellationToken);
        lifetime.ApplicationStopping.Register(() => Log.Stopping(log));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
