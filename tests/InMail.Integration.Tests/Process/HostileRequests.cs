using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMail.Integration.Tests.Process;

/// <summary>One generated request, with what makes it hostile; printed when it breaks a rule.</summary>
public sealed record HostileRequest(int Index, string Actor, string Method, string Path, byte[]? Body, string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers, string Why, bool IsRead)
{
    /// <summary>The kind of hostility, for the tally.</summary>
    public string Kind { get; init; } = "";

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{Index} {Method} {Preview(Path, 300)} as {Actor} ({Why})");
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; Content-Type: {ContentType}");
        }
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {name}: {Preview(value, 120)}");
        }
        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; body ({Body.Length} bytes): {Preview(Encoding.UTF8.GetString(Body), 400)}");
        }
        return text.ToString();
    }

    private static string Preview(string s, int max)
    {
        var shown = new StringBuilder();
        foreach (var c in s.Length > max ? s[..max] : s)
        {
            if (c is < ' ' or '\u007f' || char.IsSurrogate(c) || c == '\ufffd')
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                shown.Append(c);
            }
        }
        return s.Length > max ? shown.Append(CultureInfo.InvariantCulture, $"… ({s.Length} chars)").ToString() : shown.ToString();
    }
}

/// <summary>What a request body field holds, which decides the values that are sure to be refused in it.</summary>
public enum FieldKind
{
    /// <summary>Names something that must exist (a recipient, a seat, a member to connect): unknown and malformed ids are refused.</summary>
    RefId,

    /// <summary>Names something being created: only malformed ids, and ones that exist already, are refused.</summary>
    NewId,

    /// <summary>Free text with a length limit and no control characters: markup alone is fine here, so it only comes with a control character.</summary>
    Text,

    /// <summary>A new password: only its length is checked.</summary>
    Password,

    /// <summary>A sign-in's member or password: anything but the real pair is refused.</summary>
    Secret,

    /// <summary>A name from a fixed list (plan, billing, response kind): any other word is refused.</summary>
    Word,

    /// <summary>An IANA time zone name: checked for its form only, so only malformed names are refused.</summary>
    Zone,

    /// <summary>A number with a range; its out-of-range values are listed per field.</summary>
    Count,

    Flag,
    IdList,
    Instant,
}

public sealed record FieldSpec(string Name, FieldKind Kind, bool Required, bool Nullable = false, IReadOnlyList<JsonNode?>? Refused = null);

/// <summary>
/// A request that would succeed as it is (the test sends each one at the end to prove it): every
/// hostile request is one of these with one thing broken, or a read, so any change of state is a bug.
/// </summary>
public sealed record ValidRequest(string Name, string Actor, string Method, string Pattern, IReadOnlyDictionary<string, string> Values,
    JsonObject? Body, IReadOnlyList<FieldSpec> Fields, string? Owner = null, bool Keyed = false, bool Open = false, IReadOnlyList<string>? AlsoAllowed = null)
{
    public string Path => Fill(Pattern, Values);

    public static string Fill(string pattern, IReadOnlyDictionary<string, string> values)
    {
        var path = pattern;
        foreach (var (name, value) in values)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }
        return path;
    }
}

/// <summary>
/// Generates hostile requests from a seeded <see cref="Random"/>: broken and deeply nested JSON, wrong
/// types, nulls, unknown and missing fields, huge strings and bodies, unknown and malformed ids in
/// paths and bodies, markup and SQL, control characters, invalid UTF-8, lone surrogates, other
/// members' resources, wrong methods, absurd query strings, wrong content types and bad credentials.
/// </summary>
public sealed class HostileRequests(int seed, IReadOnlyList<ValidRequest> valid, IReadOnlyList<string> members, string someMessage)
{
    public const string LoneSurrogate = "@@LONE-SURROGATE@@";
    public const string BadUtf8 = "@@BAD-UTF8@@";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Random _random = new(seed);

    /// <summary>Every route of Endpoints.cs (and the host's own), by path pattern, with the methods it takes.</summary>
    public static readonly IReadOnlyList<(string Method, string Pattern)> Routes =
    [
        ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/sign-in"), ("POST", "/api/v1/auth/sign-out"),
        ("GET", "/api/v1/auth/me"), ("GET", "/api/v1/plans"), ("GET", "/api/v1/operator/catalog"),
        ("GET", "/api/v1/members"), ("GET", "/api/v1/members/{id}"), ("PUT", "/api/v1/members/{id}/profile"),
        ("GET", "/api/v1/members/{id}/settings"), ("PATCH", "/api/v1/members/{id}/settings"),
        ("GET", "/api/v1/members/{id}/connections"), ("DELETE", "/api/v1/members/{id}/connections/{other}"),
        ("GET", "/api/v1/members/{id}/invitations"), ("POST", "/api/v1/members/{id}/invitations"),
        ("POST", "/api/v1/members/{id}/invitations/{other}/accept"), ("POST", "/api/v1/members/{id}/invitations/{other}/ignore"),
        ("DELETE", "/api/v1/members/{id}/invitations/{other}"),
        ("GET", "/api/v1/members/{id}/blocks"), ("PUT", "/api/v1/members/{id}/blocks/{other}"), ("DELETE", "/api/v1/members/{id}/blocks/{other}"),
        ("GET", "/api/v1/groups"), ("POST", "/api/v1/groups"), ("POST", "/api/v1/groups/{group}/members"), ("DELETE", "/api/v1/groups/{group}/members/{id}"),
        ("GET", "/api/v1/members/{id}/subscription"), ("POST", "/api/v1/members/{id}/subscription"), ("PUT", "/api/v1/members/{id}/subscription"),
        ("DELETE", "/api/v1/members/{id}/subscription"), ("POST", "/api/v1/members/{id}/purchases"),
        ("POST", "/api/v1/teams"), ("GET", "/api/v1/teams/{team}"), ("DELETE", "/api/v1/teams/{team}"), ("GET", "/api/v1/teams/{team}/ledger"),
        ("POST", "/api/v1/teams/{team}/seats"), ("DELETE", "/api/v1/teams/{team}/seats/{other}"), ("PUT", "/api/v1/teams/{team}/seat-cap"),
        ("POST", "/api/v1/quotes"), ("POST", "/api/v1/messages"), ("GET", "/api/v1/messages/{message}"),
        ("POST", "/api/v1/messages/{message}/responses"), ("POST", "/api/v1/messages/{message}/spam-reports"),
        ("GET", "/api/v1/conversations"), ("GET", "/api/v1/conversations/{other}"), ("POST", "/api/v1/conversations/{other}/read"),
        ("PUT", "/api/v1/conversations/{other}/archived"),
        ("GET", "/api/v1/members/{id}/credits"), ("GET", "/api/v1/members/{id}/ledger"),
        ("POST", "/api/v1/operator/members/{id}/bonuses"), ("POST", "/api/v1/operator/connections"),
        ("GET", "/api/v1/operator/clock"), ("POST", "/api/v1/operator/clock/advance"), ("PUT", "/api/v1/operator/clock"),
        ("GET", "/health"),
    ];

    /// <summary>Ids that name nobody, though well formed.</summary>
    private static readonly string[] Ghosts = ["ghost", "nobody-404", "alice2", "ALICE", "0", "null", "undefined", "operator-", "x.y_z-1"];

    /// <summary>Ids no rule accepts: markup, SQL, traversal, control characters, non-ASCII, too long, empty.</summary>
    private static readonly string[] Malformed =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(document.cookie)>", "'; DROP TABLE members; --", "\" OR \"1\"=\"1",
        "../../etc/passwd", "..\\..\\windows\\win.ini", "", " ", "alice bob", "alice\u0000", "\u001b[2J\u001b[H", "bob\r\nX-Injected: 1",
        new string('a', 65), "алиса", "😀", "%00", "${jndi:ldap://x/a}", "{{7*7}}", "alice;", "a/b", "\u202Eevil", "\ufeffalice",
        LoneSurrogate, BadUtf8,
    ];

    /// <summary>
    /// Path segments (already escaped as they go on the wire) that name nothing that exists. Not %00:
    /// Kestrel refuses it in a path before the app sees it, and the in-process test host will not send it.
    /// </summary>
    private static readonly string[] HostileSegments =
    [
        "ghost", "nobody-404", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "%27%3B%20DROP%20TABLE%20members%3B%20--", "..%2F..%2Fetc%2Fpasswd", "%01", "%0D%0AX-Injected:%201", "%FF%FE", "%ED%A0%80",
        "%C3%28", "%F0%9F%98%80", "%E2%80%AE", new string('a', 5000), "%20", "null", "-1", "99999999999999999999", "%25%25", "a%2Fb",
    ];

    private static readonly string[] ControlCharacters = ["\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\r", "\u001b", "\u007f", "\u0085", "\u009b"];

    private static readonly string[] Markup =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE members; --", "<iframe src=javascript:alert(1)>",
        "javascript:alert(1)", "{{constructor.constructor('alert(1)')()}}", "<svg/onload=alert(1)>",
    ];

    private static readonly string[] BrokenJson =
    [
        "", " ", "{", "}", "[", "]", "{\"", "{\"to\":", "{\"to\":\"bob\"", "{'to':'bob'}", "{to:\"bob\"}", "{\"to\":\"bob\",}", "{\"to\":\"bob\"}}",
        "{\"to\":\"bob\"} trailing", "{\"to\":\"bob\" /* comment */}", "// comment\n{}", "nul", "tru", "NaN", "Infinity", "-", "01", "0x10", "1e999",
        "\"just a string\"", "42", "true", "null", "[]", "[{}]", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":\"\\x41\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"unterminated}", "{\"a\"\"b\"}", "{\"a\":1,,\"b\":2}", "\u0000", "{\u0000}", "<xml/>", "to=bob&subject=x",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/octet-stream", "application/jsonp", "application", "][", "text/html; charset=utf-8", "application/javascript",
    ];

    private static readonly string[] GarbageAuthorization =
    [
        "Bearer", "Bearer ", "Bearer garbage", "Bearer imt_", "Bearer imt_0000000000000000000000000000000000000000000",
        "Basic YWxpY2U6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5", "Digest username=\"alice\"", "bearer", "Token abc", "Bearer imt_%00",
        "Bearer <script>alert(1)</script>", "Bearer ' OR 1=1 --", "Bearer " + new string('x', 5000), "Bearer imt_" + new string('A', 90),
        "NTLM TlRMTVNTUAABAAAA", "Bearer a b c",
    ];

    public HostileRequest Next(int index, string revokedToken)
    {
        // A valid request, then one of the ways to break it that apply to it (weighted), or a request of its own.
        var t = valid[_random.Next(valid.Count)];
        var ways = new List<(int Weight, string Kind, Func<HostileRequest> Make)>
        {
            (8, "method", () => WrongMethod(index)),
            (12, "read", () => HostileRead(index)),
        };
        if (t.Fields.Count > 0)
        {
            ways.Add((24, "bad value", () => BadValue(index, t)));
        }
        if (t.Body is not null)
        {
            ways.Add((14, "bad schema", () => BadSchema(index, t)));
            ways.Add((10, "broken body", () => BrokenBody(index, t)));
            ways.Add((5, "too large", () => TooLarge(index, t)));
            ways.Add((5, "content type", () => WrongContentType(index, t)));
        }
        if (!t.Open)
        {
            ways.Add((6, "credentials", () => BadCredentials(index, t, revokedToken)));
        }
        if (t.Owner is not null)
        {
            ways.Add((6, "someone else's", () => SomeoneElses(index, t)));
        }
        if (t.Keyed)
        {
            ways.Add((4, "idempotency key", () => BadIdempotencyKey(index, t)));
        }
        if (t.Values.Count > 0)
        {
            ways.Add((8, "path id", () => HostilePathValue(index, t)));
        }
        var roll = _random.Next(ways.Sum(w => w.Weight));
        foreach (var (weight, kind, make) in ways)
        {
            if (roll < weight)
            {
                return make() with { Kind = kind };
            }
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }

    // ---------------------------------------------------------------- mutations of valid requests

    private HostileRequest BadValue(int index, ValidRequest t)
    {
        var field = Pick(t.Fields.Where(f => f.Kind != FieldKind.Flag && (f.Kind != FieldKind.Count || f.Refused is { Count: > 0 })).ToList());
        if (field is null)
        {
            return BadSchema(index, t);
        }
        JsonNode? value = field.Kind switch
        {
            FieldKind.RefId or FieldKind.Secret => OneOf(Ghosts.Concat(Malformed).Append(Huge()).ToArray()),
            FieldKind.NewId => OneOf(Malformed.Append(Huge()).Append(t.Name switch { "register" => "alice", "create-group" => "g1", _ => "t1" }).ToArray()),
            FieldKind.Text => _random.Next(3) == 0 ? Huge() : WithControl(t.Body![field.Name]?.GetValue<string>() ?? "text"),
            FieldKind.Password => OneOf("short", "", new string('p', 129), Huge()),
            FieldKind.Word => OneOf(Malformed.Concat(Ghosts).Concat(["weekly", "premium", "accept-all", "yearly"]).Append(Huge()).ToArray()),
            FieldKind.Zone => OneOf(Malformed.Where(m => m.Length > 0 && m != "a/b").Concat(["Europe/Par is", "+01:00", "1Europe/Paris", "Europe/Paris;", new string('A', 65)]).ToArray()),
            FieldKind.Count => field.Refused![_random.Next(field.Refused.Count)]?.DeepClone(),
            FieldKind.IdList => _random.Next(4) switch
            {
                0 => new JsonArray(),
                1 => new JsonArray(OneOf(Ghosts)),
                2 => new JsonArray(OneOf(Malformed)),
                _ => new JsonArray([.. t.Body![field.Name]!.AsArray().Select(n => n!.DeepClone()), OneOf(Ghosts)]),
            },
            FieldKind.Instant => OneOf("2000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-02T08:59:59+00:00"),
            _ => throw new InvalidOperationException($"no bad value for {field.Kind}"),
        };
        var body = (JsonObject)t.Body!.DeepClone();
        body[field.Name] = value;
        return Make(index, t, $"{field.Name}: a value the rules refuse", body: Serialize(body));
    }

    private HostileRequest BadSchema(int index, ValidRequest t)
    {
        var body = (JsonObject)t.Body!.DeepClone();
        var fields = t.Fields;
        string why;
        switch (_random.Next(4))
        {
            case 0 when fields.Count > 0:
                var wrong = Pick(fields)!;
                body[wrong.Name] = WrongType(wrong.Kind);
                why = $"{wrong.Name}: wrong JSON type";
                break;
            case 1 when fields.Any(f => f.Required && !f.Nullable):
                var nulled = Pick(fields.Where(f => f.Required && !f.Nullable).ToList())!;
                body[nulled.Name] = null;
                why = $"{nulled.Name}: null";
                break;
            case 2 when fields.Any(f => f.Required):
                var missing = Pick(fields.Where(f => f.Required).ToList())!;
                body.Remove(missing.Name);
                why = $"{missing.Name}: missing";
                break;
            default:
                var name = OneOf("extra", "admin", "role", "credits", "isOperator", "__proto__", "constructor", "$where", "id ", "");
                body[name] = _random.Next(2) == 0 ? JsonValue.Create(OneOf(Markup)) : JsonValue.Create(true);
                why = $"unknown field '{name}'";
                break;
        }
        return Make(index, t, why, body: Serialize(body));
    }

    private HostileRequest BrokenBody(int index, ValidRequest t)
    {
        byte[] body;
        string why;
        switch (_random.Next(6))
        {
            case 0:
                body = Encoding.UTF8.GetBytes(OneOf(BrokenJson));
                why = "broken JSON";
                break;
            case 1:
                var depth = _random.Next(17, 20_000);
                var arrays = _random.Next(2) == 0;
                var nested = arrays ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                var field = t.Fields.Count > 0 ? Pick(t.Fields)!.Name : "a";
                body = Encoding.UTF8.GetBytes(_random.Next(2) == 0 ? nested : $"{{\"{field}\":{nested}}}");
                why = $"JSON nested {depth} deep";
                break;
            case 2 when t.Fields.Any(IsString):
                var text = Pick(t.Fields.Where(IsString).ToList())!;
                var broken = (JsonObject)t.Body!.DeepClone();
                broken[text.Name] = OneOf("a", "Hello ") + BadUtf8;
                body = Serialize(broken);
                why = $"{text.Name}: invalid UTF-8";
                break;
            case 3 when t.Fields.Any(IsString):
                var lone = Pick(t.Fields.Where(IsString).ToList())!;
                var surrogate = (JsonObject)t.Body!.DeepClone();
                surrogate[lone.Name] = OneOf("a", "Hello ") + LoneSurrogate;
                body = Serialize(surrogate);
                why = $"{lone.Name}: a lone surrogate";
                break;
            case 4:
                var bytes = Serialize(t.Body!);
                body = [.. bytes.Take(_random.Next(1, bytes.Length))]; // an object is not JSON until its last '}'
                why = "JSON cut short";
                break;
            default:
                body = [0xEF, 0xBB, 0xBF, .. Serialize(t.Body!), (byte)',', (byte)'{', (byte)'}'];
                why = "two JSON values";
                break;
        }
        return Make(index, t, why, body: body);
    }

    private HostileRequest TooLarge(int index, ValidRequest t)
    {
        byte[] body;
        var limit = 64 * 1024;
        switch (_random.Next(3))
        {
            case 0 when t.Fields.Any(IsString):
                var big = (JsonObject)t.Body!.DeepClone();
                big[Pick(t.Fields.Where(IsString).ToList())!.Name] = new string('x', _random.Next(limit, 4 * limit));
                body = Serialize(big);
                break;
            case 1:
                // A valid body but for its size: the limit counts bytes, not meaning.
                body = [.. Encoding.UTF8.GetBytes(new string(' ', _random.Next(limit, 2 * limit))), .. Serialize(t.Body!)];
                break;
            default:
                body = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("\"<script>alert(1)</script>\"", limit / 20)) + "]");
                break;
        }
        return Make(index, t, "body over 64 KiB", body: body);
    }

    private HostileRequest WrongContentType(int index, ValidRequest t) =>
        _random.Next(5) == 0
            ? Make(index, t, "no content type", body: Serialize(t.Body!), contentType: null)
            : Make(index, t, "not JSON by its content type", body: Serialize(t.Body!), contentType: OneOf(WrongContentTypes));

    private HostileRequest BadCredentials(int index, ValidRequest t, string revokedToken)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var why = "no credentials";
        switch (_random.Next(4))
        {
            case 0:
                break;
            case 1:
                headers.Add(new("Authorization", "Bearer " + revokedToken));
                why = "a revoked token";
                break;
            case 2:
                headers.Add(new("Cookie", "inmail.session=" + OneOf("garbage", "CfDJ8" + new string('A', 200), "%00", "<script>")));
                why = "a forged session cookie";
                break;
            default:
                headers.Add(new("Authorization", OneOf(GarbageAuthorization)));
                why = "a garbage Authorization header";
                break;
        }
        return Make(index, t, why, actor: "anonymous", body: t.Body is null ? null : Serialize(t.Body), headers: headers);
    }

    private HostileRequest SomeoneElses(int index, ValidRequest t)
    {
        var actor = OneOf(members.Where(m => m != t.Owner && m != t.Actor && !(t.AlsoAllowed ?? []).Contains(m)).Append("operator").Where(m => t.Owner != "operator" || m != "operator").ToArray());
        return Make(index, t, $"{t.Owner}'s resource, as {actor}", actor: actor, body: t.Body is null ? null : Serialize(t.Body));
    }

    private HostileRequest BadIdempotencyKey(int index, ValidRequest t)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var body = t.Body is null ? null : Serialize(t.Body);
        switch (_random.Next(4))
        {
            case 0:
                headers.Add(new("Idempotency-Key", "first-key"));
                headers.Add(new("Idempotency-Key", "second-key"));
                return Make(index, t, "two Idempotency-Key headers", body: body, headers: headers);
            case 1:
                headers.Add(new("Idempotency-Key", new string('k', _random.Next(256, 4000))));
                return Make(index, t, "an Idempotency-Key over 255 characters", body: body, headers: headers);
            case 2:
                headers.Add(new("Idempotency-Key", "tab\tinside"));
                return Make(index, t, "an Idempotency-Key with a control character", body: body, headers: headers);
            default:
                // The key of Alice's first send (in the setup), for a different request: a conflict.
                headers.Add(new("Idempotency-Key", "setup-send-1"));
                const string why = "an Idempotency-Key used before for another request";
                return t.Actor == "alice"
                    ? Make(index, t, why, body: body, headers: headers)
                    : new HostileRequest(index, "alice", "POST", "/api/v1/messages",
                        Serialize(new JsonObject { ["to"] = "carol", ["subject"] = "Other", ["body"] = "A different request" }), "application/json", headers,
                        $"{t.Name}: {why}", IsRead: false);
        }
    }

    private HostileRequest HostilePathValue(int index, ValidRequest t)
    {
        var name = OneOf(t.Values.Keys.ToArray());
        var values = t.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        values[name] = OneOf(HostileSegments);
        return Make(index, t, $"{{{name}}}: names nothing that exists", body: t.Body is null ? null : Serialize(t.Body),
            path: ValidRequest.Fill(t.Pattern, values));
    }

    // ---------------------------------------------------------------- requests of their own

    private HostileRequest WrongMethod(int index)
    {
        var (_, pattern) = Routes[_random.Next(Routes.Count)];
        var allowed = Routes.Where(r => r.Pattern == pattern).Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
        var method = OneOf(new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "BREW" }.Where(m => !allowed.Contains(m)).ToArray());
        var path = ValidRequest.Fill(pattern, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "mallory", ["other"] = "alice", ["group"] = "g1", ["team"] = "t1", ["message"] = someMessage,
        });
        var body = _random.Next(2) == 0 ? Serialize(new JsonObject { ["to"] = "carol", ["subject"] = "Hi", ["body"] = "Hello" }) : null;
        return new HostileRequest(index, OneOf("mallory", "alice", "operator", "anonymous"), method, path, body, body is null ? null : "application/json", [],
            $"{method} is not a method of {pattern}", IsRead: false);
    }

    private HostileRequest HostileRead(int index)
    {
        var reads = Routes.Where(r => r.Method == "GET").ToList();
        var (_, pattern) = reads[_random.Next(reads.Count)];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "id", "other", "group", "team", "message" })
        {
            values[name] = _random.Next(3) switch
            {
                0 => OneOf(HostileSegments),
                1 => OneOf(members.Append("me").Append("operator").ToArray()),
                _ => name switch { "group" => "g1", "team" => "t1", "message" => someMessage, _ => OneOf(members.ToArray()) },
            };
        }
        var query = OneOf(
            "", "?limit=-1", "?limit=0", "?limit=99999999999", "?limit=2147483648", "?limit=abc", "?limit=1e3", "?limit=%00", "?limit=1&limit=2",
            "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "?q=%27%3B%20DROP%20TABLE%20members%3B%20--", "?q=" + new string('q', 10_000), "?q=%FF%FE",
            "?offset=-5", "?offset=99999999999", "?archived=maybe", "?archived=1", "?filter=%3Cscript%3E", "?filter=all&filter=inmail",
            "?asOf=garbage", "?asOf=", "?asOf=2026-13-45T99:99:99Z", "?asOf=9999-12-31T23:59:59Z", "?asOf=0001-01-01T00:00:00Z",
            "?asOf=2026-03-02T09:00:00", "?asOf=2026-03-02T09:00:00%2B99:00", "?asOf=1700000000", "?asOf=%00", "?" + new string('&', 3000),
            "?%ZZ=1", "?a[b][c]=1", "?limit=1%00", "?limit=+1", "?limit= 1");
        var actor = OneOf("mallory", "alice", "operator", "anonymous", "garbage");
        var headers = actor == "garbage" ? new List<KeyValuePair<string, string>> { new("Authorization", OneOf(GarbageAuthorization)) } : [];
        return new HostileRequest(index, actor, "GET", ValidRequest.Fill(pattern, values) + query, null, null, headers, "a read with hostile ids or query", IsRead: true);
    }

    // ---------------------------------------------------------------- helpers

    private static HostileRequest Make(int index, ValidRequest t, string why, string? actor = null, byte[]? body = null, string? contentType = "application/json",
        List<KeyValuePair<string, string>>? headers = null, string? path = null) =>
        new(index, actor ?? t.Actor, t.Method, path ?? t.Path, body, body is null ? null : contentType, headers ?? [], $"{t.Name}: {why}", IsRead: false);

    /// <summary>JSON as a client would send it (raw UTF-8, no escaping beyond JSON's), with the placeholders turned into what no serializer would write.</summary>
    private static byte[] Serialize(JsonNode node)
    {
        var json = Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));
        return Replace(Replace(json, LoneSurrogate, "\\ud800"u8.ToArray()), BadUtf8, [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]);
    }

    private static byte[] Replace(byte[] data, string placeholder, byte[] with)
    {
        var marker = Encoding.UTF8.GetBytes(placeholder);
        var result = new List<byte>(data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            if (data.AsSpan(i).StartsWith(marker))
            {
                result.AddRange(with);
                i += marker.Length - 1;
            }
            else
            {
                result.Add(data[i]);
            }
        }
        return [.. result];
    }

    private static bool IsString(FieldSpec f) => f.Kind is FieldKind.RefId or FieldKind.NewId or FieldKind.Text or FieldKind.Password or FieldKind.Secret or FieldKind.Word or FieldKind.Zone;

    private JsonNode? WrongType(FieldKind kind) => kind switch
    {
        FieldKind.Count => OneOf<JsonNode?>(JsonValue.Create("5"), JsonValue.Create(1.5), JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(1e10), JsonValue.Create(-99999999999L)),
        FieldKind.Flag => OneOf<JsonNode?>(JsonValue.Create("true"), JsonValue.Create(1), JsonValue.Create(0), new JsonArray(), new JsonObject(), JsonValue.Create("yes")),
        FieldKind.IdList => OneOf<JsonNode?>(JsonValue.Create("alice"), new JsonObject(), new JsonArray(1, 2), new JsonArray(new JsonArray("alice")), JsonValue.Create(7)),
        FieldKind.Instant => OneOf<JsonNode?>(JsonValue.Create(1_700_000_000), JsonValue.Create(true), new JsonArray(), JsonValue.Create("next tuesday"), new JsonObject()),
        _ => OneOf<JsonNode?>(JsonValue.Create(42), JsonValue.Create(true), new JsonArray("alice"), new JsonObject { ["id"] = "alice" }, JsonValue.Create(1.5), JsonValue.Create(0)),
    };

    private string Huge() => _random.Next(3) switch
    {
        0 => new string('x', _random.Next(10_000, 60_000)),
        1 => string.Concat(Enumerable.Repeat("😀", _random.Next(9_000, 15_000))),
        _ => string.Concat(Enumerable.Repeat("<script>alert(1)</script>", _random.Next(500, 2_000))),
    };

    /// <summary>The text with a control character (or a lone surrogate) put in, sometimes after some markup: refused by every text rule.</summary>
    private string WithControl(string text)
    {
        var bad = _random.Next(6) == 0 ? LoneSurrogate : OneOf(ControlCharacters);
        var at = _random.Next(text.Length + 1);
        var withBad = text[..at] + bad + text[at..];
        return _random.Next(2) == 0 ? OneOf(Markup) + withBad : withBad;
    }

    private T OneOf<T>(params T[] items) => items[_random.Next(items.Length)];

    private T? Pick<T>(IReadOnlyList<T> items) where T : class => items.Count == 0 ? null : items[_random.Next(items.Count)];
}
