using System.Globalization;
using System.Text.Json;
using InMail.Domain.Commands;

namespace InMail.Cli.Replay;

/// <summary>One step of a scenario script (SPEC §8): its line, instant, verb and fields.</summary>
public sealed record Step(int Line, DateTimeOffset At, string Verb, IReadOnlyDictionary<string, JsonElement> Fields)
{
    /// <summary>The refusal code the step must be refused with, if it carries <c>expect</c> as a string.</summary>
    public string? ExpectedRefusal => Verb != "expect" && Fields.TryGetValue("expect", out var e) ? e.GetString() : null;

    public string? Text(string field) => Fields.TryGetValue(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public string Require(string field) => Text(field) ?? throw new InvalidOperationException($"line {Line}: '{field}' was validated as present");

    public bool? Flag(string field) => Fields.TryGetValue(field, out var v) ? v.GetBoolean() : null;

    public int? Number(string field) => Fields.TryGetValue(field, out var v) ? v.GetInt32() : null;

    public IReadOnlyList<string> Strings(string field) =>
        Fields.TryGetValue(field, out var v) ? v.EnumerateArray().Select(e => e.GetString()!).ToList() : [];

    /// <summary>A short description for report lines, e.g. <c>send m1 alice→bob</c>.</summary>
    public string Describe() => Verb switch
    {
        "send" => $"send {Text("id")} {Text("from")}→{Text("to")}",
        "expect" => $"expect {Text("member")}",
        "respond" => $"respond {Text("member")} {Text("kind")} {Text("message")}",
        "coach" or "quote" => $"{Verb} {Text("from")}→{Text("to")}{(Text("template") is { } t ? $" template {t}" : "")}",
        "schedule" => $"schedule {Text("id")} {Text("from")}→{Text("to")}",
        // Only the short fields: a line names the step, the script holds its text.
        _ => $"{Verb} " + string.Join(" ", Fields.Where(f => f.Key is not ("expect" or "subject" or "body") && f.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number).Select(f => f.Value.ToString())),
    };
}

/// <summary>A script that cannot be run: the line and what is wrong with it.</summary>
public sealed class ScriptException(int line, string problem) : Exception($"line {line}: {problem}")
{
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}

/// <summary>Reads and validates a whole script before anything runs, so a malformed script changes nothing.</summary>
public static class ScenarioScript
{
    private enum Kind
    {
        Text,
        Flag,
        Number,
        LongNumber,
        Texts,
        Lots,
        Schedule,
        Enrollment,
        Steps,
        Notifications,
        Files,
    }

    private sealed record Shape(IReadOnlyDictionary<string, Kind> Required, IReadOnlyDictionary<string, Kind> Optional);

    private static readonly Dictionary<string, Shape> Verbs = Shapes();

    /// <summary>
    /// A step that changes something is a command plus expectations, so its fields come from the
    /// command's record (<see cref="CommandJson.FieldsOf"/>). Scripts add only what checks: every
    /// send names its message (SPEC §8), and a send or quote may state the path and cost.
    /// </summary>
    private static Dictionary<string, Shape> Shapes()
    {
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var verb in CommandJson.AllVerbs.Except(CommandJson.ServiceVerbs))
        {
            var fields = CommandJson.FieldsOf(verb);
            shapes[verb] = new Shape(
                fields.Where(f => f.Required).ToDictionary(f => f.Name, f => KindOf(verb, f), StringComparer.Ordinal),
                fields.Where(f => !f.Required).ToDictionary(f => f.Name, f => KindOf(verb, f), StringComparer.Ordinal));
        }
        var send = shapes["send"];
        shapes["send"] = new Shape(
            send.Required.Append(new("id", Kind.Text)).ToDictionary(StringComparer.Ordinal),
            send.Optional.Where(f => f.Key != "id").Concat(Req(("path", Kind.Text), ("cost", Kind.Number))).ToDictionary(StringComparer.Ordinal));
        shapes["quote"] = Of(["from", "to"], [("subject", Kind.Text), ("body", Kind.Text), ("template", Kind.Text), ("path", Kind.Text), ("cost", Kind.Number)]);
        shapes["coach"] = Of(["from", "to"], [("subject", Kind.Text), ("body", Kind.Text), ("template", Kind.Text), ("findings", Kind.Texts)]);
        shapes["expect"] = Of(["member"], [("credits", Kind.Number), ("frozen", Kind.Number), ("lots", Kind.Lots), ("schedule", Kind.Schedule), ("enrollment", Kind.Enrollment), ("inbox", Kind.Texts), ("label", Kind.Text), ("notifications", Kind.Notifications)]);
        return shapes;
    }

    private static Kind KindOf(string verb, CommandField field) => field.Type switch
    {
        var t when t == typeof(string) => Kind.Text,
        var t when t == typeof(bool) || t == typeof(bool?) => Kind.Flag,
        var t when t == typeof(int) || t == typeof(int?) => Kind.Number,
        var t when t == typeof(long) || t == typeof(long?) => Kind.LongNumber,
        var t when t == typeof(IReadOnlyList<string>) => Kind.Texts,
        var t when t == typeof(IReadOnlyList<Domain.Outreach.SequenceStepSpec>) => Kind.Steps,
        var t when t == typeof(IReadOnlyList<Domain.Messaging.Attachment>) => Kind.Files,
        _ => throw new InvalidOperationException($"'{verb}' has a field '{field.Name}' of type {field.Type.Name}, which scripts cannot write"),
    };

    private static readonly string[] Paths = ["message", "open-profile", "group", "inmail"];

    /// <summary>The verbs that read and check, and change nothing: they are not commands and are never logged.</summary>
    public static IReadOnlyList<string> ReadingVerbs { get; } = ["expect", "quote", "coach"];

    /// <summary>The verbs a script may use.</summary>
    public static IEnumerable<string> VerbNames => Verbs.Keys;

    public static IReadOnlyList<Step> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var steps = new List<Step>();
        var lines = text.Split('\n');
        DateTimeOffset? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            var step = ParseLine(i + 1, line);
            if (previous is { } p && step.At < p)
            {
                throw new ScriptException(i + 1, $"time goes backwards: {step.At:O} is before the previous step's {p:O}");
            }
            previous = step.At;
            steps.Add(step);
        }
        return steps;
    }

    private static Step ParseLine(int number, string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ScriptException(number, $"not valid JSON ({e.Message.Split(" Path:")[0]})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScriptException(number, "a step is a JSON object");
            }
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
            {
                if (!fields.TryAdd(p.Name, p.Value.Clone()))
                {
                    throw new ScriptException(number, $"field '{p.Name}' appears twice");
                }
            }
            if (!fields.Remove("at", out var atElement) || atElement.ValueKind != JsonValueKind.String)
            {
                throw new ScriptException(number, "every step needs \"at\", an ISO-8601 UTC instant");
            }
            if (!DateTimeOffset.TryParse(atElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                || !atElement.GetString()!.Contains('T', StringComparison.Ordinal))
            {
                throw new ScriptException(number, $"\"at\" is not an ISO-8601 instant: {atElement.GetString()}");
            }
            if (!fields.Remove("do", out var verbElement) || verbElement.ValueKind != JsonValueKind.String)
            {
                throw new ScriptException(number, "every step needs \"do\", the verb");
            }
            var verb = verbElement.GetString()!;
            if (!Verbs.TryGetValue(verb, out var shape))
            {
                throw new ScriptException(number, $"unknown verb '{verb}' (known: {string.Join(", ", Verbs.Keys)})");
            }
            Validate(number, verb, shape, fields);
            return new Step(number, at.ToUniversalTime(), verb, fields);
        }
    }

    private static void Validate(int number, string verb, Shape shape, Dictionary<string, JsonElement> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (name == "expect" && verb != "expect")
            {
                if (value.ValueKind != JsonValueKind.String || !Domain.RefusalCodes.TryParse(value.GetString(), out _))
                {
                    throw new ScriptException(number, $"\"expect\" must be one of the refusal codes of SPEC §7, not {value}");
                }
                continue;
            }
            if (!shape.Required.TryGetValue(name, out var kind) && !shape.Optional.TryGetValue(name, out kind))
            {
                throw new ScriptException(number, $"unknown field '{name}' for '{verb}'");
            }
            CheckKind(number, name, kind, value);
        }
        foreach (var name in shape.Required.Keys)
        {
            if (!fields.ContainsKey(name))
            {
                throw new ScriptException(number, $"'{verb}' needs the field '{name}'");
            }
        }
        if (fields.TryGetValue("path", out var path) && !Paths.Contains(path.GetString()))
        {
            throw new ScriptException(number, $"\"path\" must be one of {string.Join(", ", Paths)}");
        }
    }

    private static void CheckKind(int number, string name, Kind kind, JsonElement value)
    {
        var ok = kind switch
        {
            Kind.Text => value.ValueKind == JsonValueKind.String,
            Kind.Flag => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Kind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            Kind.LongNumber => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            Kind.Texts => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
            Kind.Lots => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsLot),
            Kind.Schedule => value.ValueKind == JsonValueKind.Object
                && value.EnumerateObject().All(p => p.Name is "id" or "status" or "code" or "message" && p.Value.ValueKind == JsonValueKind.String)
                && value.TryGetProperty("id", out _) && value.TryGetProperty("status", out var status)
                && status.GetString() is "pending" or "sent" or "refused" or "cancelled",
            Kind.Enrollment => value.ValueKind == JsonValueKind.Object
                && value.EnumerateObject().All(p => p.Name is "sequence" or "to" or "status" or "reason" or "variant" ? p.Value.ValueKind == JsonValueKind.String
                    : p.Name == "step" && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out _))
                && value.TryGetProperty("sequence", out _) && value.TryGetProperty("to", out _) && value.TryGetProperty("step", out _)
                && value.TryGetProperty("status", out var es) && es.GetString() is "active" or "finished" or "stopped"
                && (!value.TryGetProperty("variant", out var ev) || ev.GetString() is "A" or "B"),
            Kind.Steps => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsStep),
            Kind.Files => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsFile),
            Kind.Notifications => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(n => n.ValueKind == JsonValueKind.Object
                && n.EnumerateObject().All(p => p.Name is "kind" or "at" && p.Value.ValueKind == JsonValueKind.String)
                && n.TryGetProperty("kind", out _) && n.TryGetProperty("at", out var a)
                && DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown field kind"),
        };
        if (!ok)
        {
            var expected = kind switch
            {
                Kind.Text => "a string",
                Kind.Flag => "true or false",
                Kind.Number or Kind.LongNumber => "a whole number",
                Kind.Texts => "an array of strings",
                Kind.Schedule => "{\"id\", \"status\" (pending, sent, refused or cancelled), and optionally \"code\", \"message\"}",
                Kind.Enrollment => "{\"sequence\", \"to\", \"status\" (active, finished or stopped), \"step\" (a number), and optionally \"reason\", \"variant\" (A or B)}",
                Kind.Notifications => "an array of {\"kind\", \"at\"} (oldest first)",
                Kind.Steps => "an array of steps {\"day\": n, \"template\": id} or {\"day\": n, \"variants\": [idA, idB]}",
                Kind.Files => "an array of files {\"name\", \"size\" (bytes), \"type\" (a media type)}",
                _ => "an array of lots {\"source\", \"remaining\", \"expires\"}",
            };
            throw new ScriptException(number, $"'{name}' must be {expected}, not {value}");
        }
    }

    /// <summary>A file a send or response carries, by what it is: the replay over HTTP uploads bytes of that type and size.</summary>
    private static bool IsFile(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
        && e.EnumerateObject().All(p => p.Name is "name" or "size" or "type")
        && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
        && e.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var bytes) && bytes is >= 0 and <= 64L * 1024 * 1024
        && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String;

    private static bool IsStep(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
        && e.EnumerateObject().All(p => p.Name is "day" or "template" or "variants")
        && e.TryGetProperty("day", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out _)
        && (!e.TryGetProperty("template", out var t) || t.ValueKind == JsonValueKind.String)
        && (!e.TryGetProperty("variants", out var v) || (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)));

    private static bool IsLot(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
        && e.EnumerateObject().All(p => p.Name is "source" or "remaining" or "expires")
        && e.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String
        && e.TryGetProperty("remaining", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out _)
        && e.TryGetProperty("expires", out var x) && x.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(x.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static Shape Of(string[] required, (string Name, Kind Kind)[] optional) =>
        new(required.ToDictionary(r => r, _ => Kind.Text, StringComparer.Ordinal), Req(optional));

    private static Dictionary<string, Kind> Req(params (string Name, Kind Kind)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Kind, StringComparer.Ordinal);
}
