using System.Text.Json.Nodes;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InMail.Web.Api;

/// <summary>
/// What the OpenAPI document says beyond the routes' types, in one place rather than on each route:
/// the bearer scheme and which operations need it, the idempotency and request-id headers, the
/// problems each operation can answer with (their <c>code</c> values by status), the enums of the
/// wire names, and the limits the domain sets. The integration tests check every response against it.
/// </summary>
internal static class OpenApiContract
{
    public const string BearerScheme = "bearer";

    /// <summary>The API's own problem codes (not SPEC §7 refusals) and their status.</summary>
    public static readonly IReadOnlyList<(string Code, int Status)> ApiCodes =
    [
        ("invalid-input", 400),
        ("member-id-reserved", 400),
        ("invalid-credentials", 401),
        ("unauthenticated", 401),
        ("forbidden", 403),
        (Security.CrossSiteRequests.Code, 403),
        ("unknown-group", 404),
        ("unknown-chart", 404),
        ("not-found", 404),
        ("unknown-attachment", 404),
        ("method-not-allowed", 405),
        ("member-id-taken", 409),
        ("not-in-demo-mode", 409),
        ("not-in-test-mode", 409),
        ("clock-backwards", 409),
        ("clock-too-far", 409),
        ("body-too-large", 413),
        ("attachment-rejected", 413),
        ("uri-too-long", 414),
        ("unsupported-media-type", 415),
        ("rate-limited", 429),
        ("headers-too-large", 431),
        ("internal-error", 500),
        ("unavailable", 503),
    ];

    /// <summary>Every stable code that can come with <paramref name="status"/>: SPEC §7's and the API's own.</summary>
    public static IReadOnlyList<string> CodesOf(int status) =>
    [
        .. Enum.GetValues<RefusalCode>().Where(c => Problems.StatusOf(c) == status).Select(c => c.ToCode()),
        .. ApiCodes.Where(c => c.Status == status).Select(c => c.Code),
    ];

    public static void AddInMailContract(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "InMail API";
            document.Info.Description = "Paid professional messaging: credits, InMails, the inbox. Every refusal is an RFC 9457 problem "
                + "(application/problem+json) with a stable `code`; a method an address does not take is a 405 problem. Sign in with "
                + "POST /api/v1/auth/token and send the `imt_…` token as `Authorization: Bearer`. Renamed in this release: "
                + "`/auth/register` takes `member` (the old `id` is still read, until the next release); profile and sign-up bodies "
                + "take `timeZone` (the old `timezone` is still read: names are matched without regard to case).";
            EnsureSecurityScheme(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(TransformOperation);
        options.AddSchemaTransformer(TransformSchema);
    }

    private static void EnsureSecurityScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "imt_…",
            Description = "An access token from POST /api/v1/auth/token or /auth/register (it starts with `imt_`). "
                + "The web pages' session cookie works too; writes with the cookie need a same-origin Origin.",
        });
    }

    private static async Task TransformOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var needsAuth = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var isGet = HttpMethods.IsGet(method);
        var hasBody = description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)
            || description.SupportedRequestFormats.Count > 0;
        var hasPathParameters = path.Contains('{', StringComparison.Ordinal);
        var isCommand = !isGet && path.StartsWith("/api/v1/", StringComparison.Ordinal) && !path.StartsWith("/api/v1/auth/", StringComparison.Ordinal)
            && !path.StartsWith("/api/v1/operator/clock", StringComparison.Ordinal);

        if (needsAuth && context.Document is { } document)
        {
            EnsureSecurityScheme(document);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        }

        if (metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().FirstOrDefault()?.RequestType is { } bodyType
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var requestMedia) == true
            && ExampleOf(bodyType, context.ApplicationServices) is { } example)
        {
            requestMedia.Example = example;
        }

        operation.Parameters ??= [];
        if (isCommand)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Runner.IdempotencyKeyHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any unique string per intended change: a retry with the same key gets the first answer (and "
                    + "Idempotent-Replayed: true) instead of doing it twice; the same key with another request is idempotency-conflict.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            });
        }
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            ShapeParameter(path, parameter);
        }

        operation.Responses ??= [];
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (response is OpenApiResponse success && status.StartsWith('2'))
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                if (isCommand)
                {
                    success.Headers[Runner.ReplayedHeader] = new OpenApiHeader
                    {
                        Description = "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
                    };
                }
                if (status == "201")
                {
                    success.Headers["Location"] = new OpenApiHeader
                    {
                        Description = "Where the created resource can be read.",
                        Required = true,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
        if (path == "/api/v1/members" && isGet && operation.Responses.TryGetValue("200", out var listed) && listed is OpenApiResponse directory)
        {
            directory.Headers ??= new Dictionary<string, IOpenApiHeader>();
            directory.Headers["Link"] = new OpenApiHeader
            {
                Description = "When more members match: `<…>; rel=\"next\"`, the address of the next page.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            directory.Headers["X-Next-Cursor"] = new OpenApiHeader
            {
                Description = "When more members match: the `cursor` of the next page.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
        if (path == "/api/v1/members/{id}/credits" && operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse credits
            && credits.Content?.TryGetValue("application/json", out var media) == true && media.Schema is { } now)
        {
            // Without asOf: the credits now; with asOf: the balance then and the entries that explain it.
            var then = await context.GetOrCreateSchemaAsync(typeof(BalanceView), null, cancellationToken);
            media.Schema = new OpenApiSchema { OneOf = [now, then], Description = "CreditsView without asOf; BalanceView with asOf." };
        }

        var statuses = new SortedSet<int> { 400 };
        if (needsAuth)
        {
            statuses.UnionWith([401, 403]);
        }
        if (needsAuth || hasPathParameters)
        {
            statuses.Add(404);
        }
        if (hasBody)
        {
            statuses.UnionWith([413, 415]);
        }
        if (!isGet)
        {
            statuses.UnionWith([409, 422, 429]);
        }
        statuses.Add(503); // a change that could not be saved, or a database out of reach (every operation reads it)
        if (path.StartsWith("/api/v1/operator/", StringComparison.Ordinal))
        {
            statuses.Add(409); // some operator tools work only in demo or test mode: not-in-demo-mode, not-in-test-mode
        }
        if (path.StartsWith("/api/v1/auth/", StringComparison.Ordinal) && !isGet)
        {
            statuses.UnionWith([401, 429]);
        }
        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(status);
        }
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["X-Request-Id"] = new OpenApiHeader
            {
                Description = "This request's id (yours if you sent a valid X-Request-Id): quote it when reporting a problem.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }

    /// <summary>A request body that works against the seed catalog, for the docs page's "Try it out".</summary>
    private static JsonObject? ExampleOf(Type body, IServiceProvider services) => body.Name switch
    {
        nameof(RegisterBody) => new() { ["member"] = "maya.chen", ["name"] = "Maya Chen", ["password"] = "correct horse battery", ["timeZone"] = "Europe/Paris" },
        nameof(SignInBody) => new() { ["member"] = "maya.chen", ["password"] = "correct horse battery" },
        nameof(ProfileBody) => new() { ["name"] = "Maya Chen", ["headline"] = "Head of Talent", ["company"] = "Northwind", ["timeZone"] = "Europe/Paris" },
        nameof(SettingsBody) => new() { ["openProfile"] = true, ["inmail"] = true },
        nameof(InviteBody) => new() { ["to"] = "omar.haddad", ["note"] = "We met at the product meetup." },
        nameof(GroupBody) => new() { ["id"] = "product-people", ["name"] = "Product People" },
        nameof(PlanBody) => new() { ["plan"] = "premium-business", ["billing"] = "monthly" },
        nameof(TeamBody) => new()
        {
            ["id"] = "northwind",
            ["plan"] = services.GetRequiredService<Runner>().Store.Catalog.Plans.FirstOrDefault(p => p.Team)?.Id ?? "basic",
            ["seats"] = new JsonArray("maya.chen", "omar.haddad"),
            ["billing"] = "monthly",
        },
        nameof(SeatBody) => new() { ["member"] = "omar.haddad" },
        nameof(SeatCapBody) => new() { ["seatCap"] = 10 },
        nameof(PurchaseBody) => new() { ["pack"] = services.GetRequiredService<Runner>().Store.Catalog.Policy.PackSizes.FirstOrDefault(10) },
        nameof(BonusBody) => new() { ["credits"] = 5, ["days"] = 30, ["reason"] = "Apology for the outage" },
        nameof(MessageBody) => new() { ["to"] = "omar.haddad", ["subject"] = "A role on our team", ["body"] = "Hi Omar, are you open to a short chat this week?" },
        nameof(RespondBody) => new() { ["kind"] = "reply", ["body"] = "Happy to talk: Thursday at 10?" },
        nameof(OutcomeBody) => new() { ["outcome"] = "meeting-booked" },
        nameof(ArchiveBody) => new() { ["archived"] = true },
        nameof(ConnectBody) => new() { ["a"] = "maya.chen", ["b"] = "omar.haddad" },
        nameof(ClockAdvanceBody) => new() { ["days"] = 30 },
        nameof(ClockSetBody) => new() { ["at"] = "2026-04-01T09:00:00Z" },
        _ => null,
    };

    private static void ShapeParameter(string path, OpenApiParameter parameter)
    {
        if (parameter.Schema is not OpenApiSchema schema)
        {
            return;
        }
        switch (parameter.Name)
        {
            case "limit":
                schema.Minimum = "1";
                schema.Maximum = path switch
                {
                    "/api/v1/conversations" => CommandStore.MaxInboxPage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "/api/v1/members/{id}/ledger" => "1000",
                    _ => "100",
                };
                parameter.Description = "How many to return; larger values are clamped to the maximum.";
                break;
            case "offset":
                parameter.Deprecated = true;
                parameter.Description = "No longer taken (400 invalid-input): pages follow each other by cursor.";
                break;
            case "filter":
                schema.Enum = [JsonValue.Create("all"), JsonValue.Create("inmail"), JsonValue.Create("unread")];
                break;
            case "asOf" or "from" or "to":
                schema.Format = "date-time";
                parameter.Description = "An ISO-8601 instant with an offset, like 2026-03-01T09:00:00Z.";
                break;
            case "id" or "member" or "other" or "from" or "to" or "team" or "group" or "message" when parameter.In == ParameterLocation.Path:
                schema.MaxLength = Identifiers.MaxLength;
                parameter.Description = parameter.Name is "id" ? "A member id, or `me` for yourself." : Identifiers.Rule("id");
                break;
        }
    }

    private static OpenApiResponse ProblemResponse(int status) => new()
    {
        Description = Problems.Title(status),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Problems.ContentType] = new OpenApiMediaType
            {
                Schema = ProblemSchema(CodesOf(status), status),
                Example = new JsonObject
                {
                    ["type"] = Problems.TypeBase + CodesOf(status).FirstOrDefault("error"),
                    ["title"] = Problems.Title(status),
                    ["status"] = status,
                    ["detail"] = "What was wrong, in a sentence.",
                    ["code"] = CodesOf(status).FirstOrDefault("error"),
                    ["requestId"] = "0HN8S5E2VQ4K1:00000001",
                    ["instance"] = "/api/v1/…",
                },
            },
        },
    };

    private static OpenApiSchema ProblemSchema(IReadOnlyList<string> codes, int status) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem; `code` is the stable value to act on.",
        Required = new HashSet<string> { "type", "title", "status", "detail", "code", "requestId" },
        AdditionalPropertiesAllowed = false,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = Problems.TypeBase + "{code}" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Enum = [JsonValue.Create(status)] },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] },
            ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };

    private static Task TransformSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property)
        {
            // Bodies refuse unknown fields, and views have exactly their properties: say so, so the check of responses is strict.
            if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
                && context.JsonTypeInfo.Type.Namespace == typeof(OpenApiContract).Namespace)
            {
                schema.AdditionalPropertiesAllowed = false;
            }
            return Task.CompletedTask;
        }
        if ((property.DeclaringType.Name, property.Name) is (nameof(RegisterBody), "id"))
        {
            schema.Deprecated = true;
            schema.Description = "The old name of `member`, read until the next release.";
        }
        var owner = property.DeclaringType;
        var name = property.Name;
        var nullable = schema.Type is { } t && t.HasFlag(JsonSchemaType.Null);
        string[]? values = (owner.Name, name) switch
        {
            (nameof(RespondBody), "kind") => Names<ResponseKind>(k => k.ToName()),
            (nameof(MessageView), "response") => Names<ResponseKind>(k => k.ToName()),
            (nameof(MessageView), "respondsWith") => Names<ResponseKind>(k => k.ToName()),
            (nameof(OutcomeBody) or nameof(OutcomeView), "outcome") => [.. Names<SenderMark>(m => m.ToName()), MessagingNames.NoMark],
            (nameof(MessageView) or nameof(QuoteView), "path") => Names<SendPath>(p => p.ToName()),
            (nameof(PlanBody) or nameof(TeamBody) or nameof(OperatorTeamBody) or nameof(SubscriptionView) or nameof(TeamView)
                or nameof(SeatOfferView) or nameof(SettingsView) or nameof(AccountView) or nameof(CreditsView), "plan") => PlanIds(context),
            (nameof(PlanView), "id") => PlanIds(context),
            (_, "billing") => Names<BillingPeriod>(b => b.ToString().ToLowerInvariant()),
            (nameof(LedgerEntryView), "kind") => Names<LedgerKind>(k => k.ToName()),
            (nameof(LedgerEntryView) or nameof(LotView), "source") => Names<LotSource>(s => s.ToName()),
            (nameof(TokenView), "tokenType") => ["Bearer"],
            (nameof(ComparisonView), "verdict") => Names<Domain.Outreach.ComparisonVerdict>(v => Domain.Outreach.ComparisonNames.ToName(v)),
            (nameof(TokenView) or nameof(AccountView), "role") => [Security.Roles.Member, Security.Roles.Operator],
            _ => null,
        };
        if (values is not null)
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)), .. nullable ? new JsonNode[] { null! } : []];
        }
        switch (owner.Name, name)
        {
            case (nameof(RegisterBody) or nameof(GroupBody) or nameof(TeamBody) or nameof(OperatorTeamBody), "id" or "member"):
            case (nameof(SignInBody) or nameof(SeatBody), "member"):
            case (nameof(MessageBody) or nameof(InviteBody), "to"):
            case (nameof(ConnectBody), "a" or "b"):
                schema.MaxLength = Identifiers.MaxLength;
                schema.Pattern = "^[A-Za-z0-9._-]{1,64}$";
                break;
            case (nameof(MessageBody), "subject"):
                schema.Description = $"Required for an InMail; at most {Policy(context).SubjectMaxLength} user-perceived characters.";
                break;
            case (nameof(MessageBody), "body"):
                schema.Description = $"At most {Policy(context).InMailBodyMaxLength} user-perceived characters in an InMail or group message, "
                    + $"{Policy(context).MessageBodyMaxLength} in a message.";
                break;
            case (nameof(InviteBody), "note"):
                schema.Description = $"At most {Policy(context).PaidNoteMaxLength} user-perceived characters on a paid plan, "
                    + $"{Policy(context).BasicNoteMaxLength} on basic.";
                break;
            case (nameof(PurchaseBody), "pack"):
                schema.Enum = [.. Policy(context).PackSizes.Select(s => (JsonNode)JsonValue.Create(s))];
                break;
            case (nameof(BonusBody), "credits" or "days"):
            case (nameof(SeatCapBody), "seatCap"):
                schema.Minimum = "1";
                break;
            case (nameof(ClockAdvanceBody), "days" or "hours" or "minutes"):
                schema.Minimum = "0";
                break;
        }
        return Task.CompletedTask;
    }

    private static string[] Names<T>(Func<T, string> name)
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(name)];

    private static string[] PlanIds(OpenApiSchemaTransformerContext context) =>
        context.ApplicationServices.GetRequiredService<Runner>().Store.Catalog.Plans.Select(p => p.Id).ToArray();

    private static Policy Policy(OpenApiSchemaTransformerContext context) =>
        context.ApplicationServices.GetRequiredService<Runner>().Store.Catalog.Policy;
}
