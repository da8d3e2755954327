using System.Security.Cryptography;
using InMail.Domain;
using InMail.Domain.Content;
using InMail.Domain.Messaging;
using InMail.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace InMail.Web.Api;

/// <summary>
/// Attachments between the web and the store (SPEC §11): an upload is read whole into the request (at
/// most 5 MB), judged by <see cref="AttachmentRules.Inspect"/> from its bytes, and kept under a random
/// id; a send names uploads by id and carries what they are. Shared by the API and the pages.
/// </summary>
public static class Uploads
{
    /// <summary>Uploads not yet sent a member may hold at once (chosen: enough for a few drafts; a bound on what one account can store for nothing).</summary>
    public const int PendingPerMember = 20;

    /// <summary>How long an upload no message carries is kept (chosen); older ones go at the owner's next upload.</summary>
    public static readonly TimeSpan UnsentKept = TimeSpan.FromHours(24);

    /// <summary>What a multipart request may add to the file's bytes (boundaries, part headers).</summary>
    public const long MultipartOverhead = 64 * 1024;

    /// <summary>A fresh upload id: "f" and 26 characters of 128 random bits, so ids cannot be guessed or counted.</summary>
    public static string NewId() => "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13));

    /// <summary>
    /// The id a form's file gets: the same for the same member, form submission (its idempotency key),
    /// place and bytes, so a form sent twice names the same uploads and its send runs once.
    /// </summary>
    public static string IdFor(string owner, string formKey, int place, ReadOnlySpan<byte> bytes)
    {
        var content = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return "f" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{owner}\n{formKey}\n{place}\n{content}")))[..26];
    }

    /// <summary>Lets this request's body be as large as a file and its multipart wrapping (the service's default is far smaller).</summary>
    public static void AllowFileSizedBody(HttpContext context, long maxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxFileBytes + MultipartOverhead;
        }
    }

    /// <summary>
    /// Judges and keeps one file for <paramref name="owner"/>. First forgets the owner's uploads that were
    /// never sent within <see cref="UnsentKept"/>, then refuses past <see cref="PendingPerMember"/> waiting ones.
    /// </summary>
    public static async Task<(StoredUpload? Upload, ProblemResult? Problem)> KeepAsync(CommandStore store, string owner, string? name, ReadOnlyMemory<byte> bytes,
        CancellationToken cancellationToken, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (policy, now) = await store.ReadAsync((e, n) => (e.Catalog.Policy, n), cancellationToken);
        var judged = AttachmentRules.Inspect(name, bytes.Span, policy, id ?? NewId());
        if (!judged.IsSuccess)
        {
            return (null, judged.Refusal.Code == RefusalCode.AttachmentRejected && bytes.Length > policy.AttachmentMaxBytes
                ? Problems.Of(StatusCodes.Status413PayloadTooLarge, judged.Refusal.CodeText, judged.Refusal.Message)
                : Problems.Refused(judged.Refusal));
        }
        await store.ForgetUnsentUploadsAsync(owner, now - UnsentKept, cancellationToken);
        if (await store.PendingUploadsAsync(owner, now - UnsentKept, cancellationToken) >= PendingPerMember)
        {
            return (null, Problems.Of(StatusCodes.Status429TooManyRequests, "rate-limited",
                $"{PendingPerMember} uploaded files are waiting to be sent; send them, or wait a day for the unsent ones to go."));
        }
        await store.SaveUploadAsync(owner, judged.Value, bytes, now, cancellationToken);
        return (new StoredUpload(judged.Value, owner, now, ""), null);
    }

    /// <summary>
    /// The files a send names, by upload id, as the message will carry them. An id that is not one of the
    /// sender's uploads is <c>attachment-rejected</c> (another member's upload is not told apart from none).
    /// </summary>
    public static async Task<Outcome<IReadOnlyList<Attachment>?>> ResolveAsync(CommandStore store, string owner, IReadOnlyList<string?>? ids,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (ids is null || ids.Count == 0)
        {
            return Outcome<IReadOnlyList<Attachment>?>.Success(null);
        }
        if (ids.Any(id => !Identifiers.IsValid(id)))
        {
            return Refuse.With(RefusalCode.AttachmentRejected, "Name each file by the id its upload returned.");
        }
        var found = (await store.UploadsAsync(owner, ids.Distinct(StringComparer.Ordinal).ToArray()!, cancellationToken))
            .ToDictionary(u => u.File.Id!, StringComparer.Ordinal);
        if (ids.FirstOrDefault(id => !found.ContainsKey(id!)) is { } missing)
        {
            return Refuse.With(RefusalCode.AttachmentRejected, $"You have no uploaded file '{missing}'; upload it first (POST /api/v1/members/me/attachments).");
        }
        // An upload not sent within a day is gone (the due-work sweep deletes it): refused alike before the sweep comes.
        var now = await store.ReadAsync((_, n) => n, cancellationToken);
        if (found.Values.FirstOrDefault(u => u.UploadedAt < now - UnsentKept) is { } old)
        {
            return Refuse.With(RefusalCode.AttachmentRejected, $"'{old.File.Name}' was uploaded more than a day ago and not sent, so it is no longer kept; upload it again.");
        }
        // Ids in the order given; a file named twice stays twice, for the engine to refuse.
        return Outcome<IReadOnlyList<Attachment>?>.Success(ids.Select(id => found[id!].File).ToArray());
    }

    /// <summary>
    /// Streams a file to the response as a download: the type its bytes showed, never sniffed again by the
    /// browser, never rendered in the page's origin, saved under a name whose extension says what it is.
    /// </summary>
    public static async Task<IResult> DownloadAsync(HttpContext context, CommandStore store, Attachment file)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(file);
        var response = context.Response;
        response.ContentType = file.Type == AttachmentTypes.Text ? "text/plain; charset=utf-8" : file.Type;
        response.ContentLength = file.Size;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(AttachmentTypes.DownloadName(file));
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        response.Headers.CacheControl = "private, no-store";
        if (!await store.CopyUploadAsync(file.Id!, response.Body, context.RequestAborted))
        {
            response.ContentLength = null;
            response.Headers.ContentDisposition = default;
            return Problems.Of(StatusCodes.Status404NotFound, "unknown-attachment", "That file is no longer stored.");
        }
        return Results.Empty;
    }
}
