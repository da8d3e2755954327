namespace InMail.Web.Pages;

/// <summary>What the forms that attach files (Compose, a conversation's reply) accept, and how a file is shown.</summary>
public static class FileForms
{
    /// <summary>
    /// The largest request those forms take: twice the catalog's default of three files of 5 MB, so a file
    /// too large or one too many gets the domain's <c>attachment-rejected</c> beside the picker rather than a
    /// refused request. Files past 64 KB are buffered on disk by the framework, not in memory.
    /// </summary>
    public const long MaxRequestBytes = 2 * 3 * 5 * 1024 * 1024;

    /// <summary>What the file picker offers first; the bytes decide, not the name.</summary>
    public const string Accept = ".pdf,.png,.jpg,.jpeg,.txt,.docx,application/pdf,image/png,image/jpeg,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>A size as people read it: "812 bytes", "14 KB", "2.3 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
