using System.Data;
using System.Security.Cryptography;
using InMail.Domain.Messaging;
using InMail.Storage.Projection;
using Microsoft.Data.Sqlite;

namespace InMail.Storage;

/// <summary>One uploaded file as the store keeps it: what it is, whose it is, when it came.</summary>
public sealed record StoredUpload(Attachment File, string Owner, DateTimeOffset UploadedAt, string Sha256);

/// <summary>
/// The bytes of attachments (SPEC §11, migration 0016). An upload is written through the writer, durably,
/// beside the log; a send only names it. Downloads stream from the database to the client: a file is
/// never held whole in memory outside the request that uploads it.
/// </summary>
public sealed partial class CommandStore
{
    /// <summary>Keeps an uploaded file that <see cref="Domain.Content.AttachmentRules.Inspect"/> accepted, under its id.</summary>
    public Task SaveUploadAsync(string owner, Attachment file, ReadOnlyMemory<byte> bytes, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        return WriteAsync([new Write(Tables.Attachments, WriteKind.Append,
            [file.Id, owner, file.Name, file.Type, file.Size, sha, at.ToUniversalTime(), bytes.ToArray()])], cancellationToken);
    }

    /// <summary>The uploads of <paramref name="owner"/> among <paramref name="ids"/>; any other member's, or none, are left out.</summary>
    public Task<List<StoredUpload>> UploadsAsync(string owner, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult(new List<StoredUpload>());
        }
        var marks = string.Join(", ", ids.Select((_, i) => Parameter(i + 1)));
        return QueryAsync($"SELECT id, name, size, type, owner_id, uploaded_at, sha256 FROM attachments WHERE owner_id = {Parameter(0)} AND id IN ({marks})",
            [owner, .. ids], ReadUploads, cancellationToken);
    }

    /// <summary>One upload by id, whoever owns it (the caller checks who may see it).</summary>
    public async Task<StoredUpload?> UploadAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT id, name, size, type, owner_id, uploaded_at, sha256 FROM attachments WHERE id = {Parameter(0)}", [id], ReadUploads,
            cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>How many of the owner's uploads since <paramref name="since"/> no message carries yet.</summary>
    public Task<int> PendingUploadsAsync(string owner, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync($"""
            SELECT COUNT(*) FROM attachments a
            WHERE a.owner_id = {Parameter(0)} AND a.uploaded_at >= {Parameter(1)}
              AND NOT EXISTS (SELECT 1 FROM message_attachments x WHERE x.attachment_id = a.id)
            """, [owner, since.ToUniversalTime()], r => r.Read() ? Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) : 0, cancellationToken);

    /// <summary>
    /// Deletes uploads from before <paramref name="before"/> that no message carries (files chosen and never sent):
    /// the owner's, or with a null owner everyone's, at most <paramref name="most"/> at a time.
    /// </summary>
    public async Task<int> ForgetUnsentUploadsAsync(string? owner, DateTimeOffset before, CancellationToken cancellationToken = default, int most = 1_000)
    {
        var whose = owner is null ? "" : $"a.owner_id = {Parameter(2)} AND ";
        var stale = await QueryAsync($"""
            SELECT a.id FROM attachments a
            WHERE {whose}a.uploaded_at < {Parameter(0)}
              AND NOT EXISTS (SELECT 1 FROM message_attachments x WHERE x.attachment_id = a.id)
            ORDER BY a.uploaded_at LIMIT {Parameter(1)}
            """, owner is null ? [before.ToUniversalTime(), (long)most] : [before.ToUniversalTime(), (long)most, owner], r =>
        {
            var ids = new List<string>();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
            return ids;
        }, cancellationToken).ConfigureAwait(false);
        if (stale.Count > 0)
        {
            await WriteAsync([.. stale.Select(id => new Write(Tables.Attachments, WriteKind.Delete, [id]))], cancellationToken).ConfigureAwait(false);
        }
        return stale.Count;
    }

    /// <summary>Copies an upload's bytes to <paramref name="destination"/> as they come from the database; false when there is no such upload.</summary>
    public async Task<bool> CopyUploadAsync(string id, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var connection = _backend.Open();
        if (connection is SqliteConnection sqlite)
        {
            await using var find = connection.CreateCommand();
            Bind(find, $"SELECT rowid FROM attachments WHERE id = {Parameter(0)}", [id]);
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long rowid)
            {
                return false;
            }
            await using var blob = new SqliteBlob(sqlite, "attachments", "data", rowid, readOnly: true);
            await blob.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
            return true;
        }
        await using var command = connection.CreateCommand();
        Bind(command, $"SELECT data FROM attachments WHERE id = {Parameter(0)}", [id]);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await using var data = reader.GetStream(0);
        await data.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private List<StoredUpload> ReadUploads(System.Data.Common.DbDataReader r)
    {
        var found = new List<StoredUpload>();
        while (r.Read())
        {
            found.Add(new StoredUpload(new Attachment(r.GetString(1), Convert.ToInt64(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), r.GetString(3), r.GetString(0)),
                r.GetString(4), _backend.ReadInstant(r, 5), r.GetString(6)));
        }
        return found;
    }
}
