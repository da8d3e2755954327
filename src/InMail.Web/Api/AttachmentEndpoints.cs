using InMail.Domain;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace InMail.Web.Api;

/// <summary>
/// Attachments (SPEC §11): upload a file, then name it in a send's or a response's <c>attachments</c>;
/// the two members of the conversation download it from the message. Anyone else is told the message
/// does not exist, as for every other message operation.
/// </summary>
public static class AttachmentEndpoints
{
    /// <summary>Maps uploads and the downloads of files messages carry into <paramref name="api"/>.</summary>
    public static void MapAttachmentsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/members/{id}/attachments", async (HttpContext context, Runner run, string id) =>
            Endpoints.Self(context, id, "files") ?? await UploadAsync(context, run.Store))
            .WithSummary("Uploads a file to attach: the raw bytes (name it with ?name= or a Content-Disposition filename) or multipart/form-data with one file. "
                + "PDF, PNG, JPEG, plain text or DOCX as the bytes show, at most 5 MB (attachment-rejected); unsent uploads are kept 24 hours, 20 at most")
            .Accepts<IFormFile>("multipart/form-data", "application/octet-stream", "*/*");

        api.MapGet("/members/{id}/attachments/{file}", async (HttpContext context, Runner run, string id, string file) =>
        {
            if (Endpoints.Self(context, id, "files") is { } refused)
            {
                return refused;
            }
            var upload = Identifiers.IsValid(file) ? await run.Store.UploadAsync(file, context.RequestAborted) : null;
            return upload is null || upload.Owner != context.Who().Member
                ? NoSuchFile(file)
                : await Uploads.DownloadAsync(context, run.Store, upload.File);
        }).WithSummary("Downloads one of your uploads").ProducesFile();

        api.MapGet("/messages/{message}/attachments/{file}", async (HttpContext context, Runner run, string message, string file) =>
        {
            var me = context.Who().Member;
            var found = await run.Store.ReadAsync((e, _) => e.State.FindMessage(message) is { } m && (m.From == me || m.To == me)
                ? (true, m.FindAttachment(file))
                : (false, null), context.RequestAborted);
            return found switch
            {
                (false, _) => Problems.Refused(Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{message}' of yours.")),
                (true, null) => NoSuchFile(file),
                (true, { } attachment) => await Uploads.DownloadAsync(context, run.Store, attachment),
            };
        }).WithSummary("Downloads a file a message carries; only the two members of its conversation can")
            .ProducesFile();
    }

    /// <summary>A download: the bytes, in the type they showed when uploaded.</summary>
    private static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder) =>
        builder.Produces<byte[]>(StatusCodes.Status200OK, AttachmentTypes.All[0], [.. AttachmentTypes.All.Skip(1)]);

    private static ProblemResult NoSuchFile(string file) =>
        Problems.Of(StatusCodes.Status404NotFound, "unknown-attachment", $"There is no file '{file}' here.");

    private static async Task<Results<CreatedAnswer<UploadView>, ProblemResult>> UploadAsync(HttpContext context, CommandStore store)
    {
        var request = context.Request;
        var max = await store.ReadAsync((e, _) => e.Catalog.Policy.AttachmentMaxBytes, context.RequestAborted);
        var multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (request.ContentLength > max + (multipart ? Uploads.MultipartOverhead : 0))
        {
            return TooLarge(max);
        }
        Uploads.AllowFileSizedBody(context, max);
        string? name;
        byte[] bytes;
        try
        {
            if (multipart)
            {
                var form = await request.ReadFormAsync(context.RequestAborted);
                if (form.Files.Count != 1)
                {
                    return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Send exactly one file per upload.");
                }
                var part = form.Files[0];
                if (part.Length > max)
                {
                    return TooLarge(max);
                }
                name = part.FileName;
                bytes = new byte[part.Length];
                await using var stream = part.OpenReadStream();
                await stream.ReadExactlyAsync(bytes, context.RequestAborted);
            }
            else
            {
                name = request.Query["name"].FirstOrDefault()
                    ?? (ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var cd)
                        ? HeaderUtilities.RemoveQuotes(cd.FileNameStar.HasValue ? cd.FileNameStar : cd.FileName).Value
                        : null);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > max)
                    {
                        return TooLarge(max);
                    }
                }
                bytes = buffer.ToArray();
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "The upload could not be read: send the raw bytes, or multipart/form-data with one file.");
        }
        var (upload, problem) = await Uploads.KeepAsync(store, context.Who().Member, name, bytes, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var file = upload!.File;
        var href = $"/api/v1/members/{Uri.EscapeDataString(context.Who().Member)}/attachments/{file.Id}";
        return new CreatedAnswer<UploadView>(new UploadView(file.Id!, file.Name, file.Size, file.Type, upload.UploadedAt, href), href);
    }

    private static ProblemResult TooLarge(long max) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, RefusalCode.AttachmentRejected.ToCode(),
            $"A file may have at most {max:N0} bytes ({max / (1024 * 1024)} MB).");
}
