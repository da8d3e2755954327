using CsvHelper;
using InMail.Domain;
using InMail.Storage;

namespace InMail.Web.Pages;

/// <summary>One recipient as the enrol form was given it: where it came from ("picked", "line 2", "file row 3") and what was written.</summary>
public sealed record RecipientInput(string Source, string Text);

/// <summary>
/// A recipient row resolved: the member it names (by id, or by a name exactly one member has), or
/// why it names nobody: <c>unknown</c> (no id and no name matches) or <c>ambiguous</c> (several members have that name).
/// </summary>
public sealed record RecipientRow(string Source, string Text, string? Member, string? Name, string? Problem, string? Message)
{
    public const string Unknown = "unknown";
    public const string Ambiguous = "ambiguous";
}

/// <summary>
/// The enrol form's recipients (SPEC §10): people picked with the member search, a pasted list (one a
/// line) and an uploaded CSV file (the first column of each row), each a member id or a member's whole
/// name. Which of them may be enrolled is the engine's to say (its quote); this only finds who they name.
/// </summary>
public static class RecipientList
{
    /// <summary>The largest file the form reads: about fifty thousand names, far past what one enrolment takes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Longer than any member id or name: a row this long is a mistake (the wrong file), not a recipient.</summary>
    public const int MaxRowLength = 256;

    /// <summary>A first row holding one of these is a header, not a member.</summary>
    private static readonly HashSet<string> HeaderWords = new(["id", "member", "member id", "member_id", "memberid", "name", "recipient"], StringComparer.OrdinalIgnoreCase);

    /// <summary>A pasted list: one id or name a line, trimmed; blank lines are skipped.</summary>
    public static IReadOnlyList<RecipientInput> Pasted(string? text)
    {
        var rows = new List<RecipientInput>();
        var lines = (text ?? "").ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() is { Length: > 0 } line)
            {
                rows.Add(new RecipientInput($"line {i + 1}", line));
            }
        }
        return rows;
    }

    /// <summary>
    /// A CSV file (RFC 4180; the separator is found from its first lines: comma, semicolon, tab or
    /// bar): the first column of each row, trimmed. A first row that only names the column ("id",
    /// "name"…) is skipped. Null, with <paramref name="error"/> saying why, when it cannot be read.
    /// </summary>
    public static IReadOnlyList<RecipientInput>? Csv(byte[] bytes, out string? error)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        error = null;
        // A CSV file is plain text (SPEC §11's rule for text attachments): a picture or a spreadsheet's binary is not read as rows of names.
        if (bytes.Length > 0 && Domain.Content.AttachmentRules.TypeOf(bytes) != Domain.Messaging.AttachmentTypes.Text)
        {
            error = "The file could not be read as CSV: it is not plain text. Save it as CSV (UTF-8), one member id or name a row in the first column.";
            return null;
        }
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            // A stray quote ends at the line's end instead of swallowing the rest of the file.
            AllowLineBreaksInQuotes = false,
            MaxRecordSize = 64 * 1024,
        };
        var rows = new List<RecipientInput>();
        try
        {
            using var reader = CsvReader.Create(bytes, options);
            while (reader.Read())
            {
                var text = reader.FieldCount == 0 ? "" : (reader.GetString(0) ?? "").Trim();
                if (text.Length == 0 || (reader.RowNumber == 1 && HeaderWords.Contains(text)))
                {
                    continue;
                }
                if (text.Length > MaxRowLength)
                {
                    error = $"Row {reader.LineNumber} has {text.Length:N0} characters; no member id or name is longer than {MaxRowLength}. Is this the right file?";
                    return null;
                }
                rows.Add(new RecipientInput($"file row {reader.LineNumber}", text));
            }
        }
        catch (Exception e) when (e is CsvFormatException or InvalidDataException or System.Text.DecoderFallbackException)
        {
            error = "The file could not be read as CSV: save it as CSV (UTF-8), one member id or name a row in the first column.";
            return null;
        }
        return rows;
    }

    /// <summary>
    /// Finds the member each row names: a member id (any case) first, else the whole name of exactly
    /// one member (any case). Names are looked up in the members table, since memory holds only the
    /// working set (decision 007).
    /// </summary>
    public static async Task<IReadOnlyList<RecipientRow>> ResolveAsync(CommandStore store, IReadOnlyList<RecipientInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(inputs);
        var byId = await store.ReadAsync((e, _) => inputs
            .Select(r => Identifiers.IsValid(r.Text) && e.State.FindMemberIgnoringCase(r.Text) is { } m ? (m.Id, m.Profile.Name) : ((string Id, string Name)?)null)
            .ToList(), cancellationToken);
        var names = inputs.Where((_, i) => byId[i] is null).Select(r => r.Text).ToList();
        var named = names.Count == 0 ? [] : await store.MembersNamedAsync(names, cancellationToken);
        var people = await store.ReadAsync((e, _) => named.Select(e.State.FindMember).OfType<Domain.Network.Member>().Select(m => (m.Id, m.Profile.Name)).ToList(), cancellationToken);
        return [.. inputs.Select((r, i) =>
        {
            if (byId[i] is { } found)
            {
                return new RecipientRow(r.Source, r.Text, found.Id, found.Name, null, null);
            }
            var matches = people.Where(p => string.Equals(p.Name, r.Text, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Count switch
            {
                1 => new RecipientRow(r.Source, r.Text, matches[0].Id, matches[0].Name, null, null),
                0 => new RecipientRow(r.Source, r.Text, null, null, RecipientRow.Unknown, $"No member has the id or the name “{r.Text}”."),
                _ => new RecipientRow(r.Source, r.Text, null, null, RecipientRow.Ambiguous,
                    $"{matches.Count} members are called “{r.Text}”: write the member id of the one you mean ({string.Join(", ", matches.Take(5).Select(p => p.Id))}{(matches.Count > 5 ? ", …" : "")})."),
            };
        })];
    }
}
