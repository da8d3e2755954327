using InMail.Domain.Content;

namespace InMail.Domain.Network;

/// <summary>What is wrong with a profile, and which of its fields is wrong (so a form can say it beside that field).</summary>
/// <param name="Field">The field at fault: <c>name</c>, <c>headline</c>, <c>company</c> or <c>timezone</c>.</param>
/// <param name="Refusal">What is wrong with it.</param>
public sealed record ProfileProblem(string Field, Refusal Refusal);

/// <summary>The rules a profile must meet, the same for registration, the API and the pages.</summary>
public static class ProfileRules
{
    /// <summary>Longest name, in user-perceived characters; a name is required.</summary>
    public const int NameMaxLength = 100;

    /// <summary>Longest headline, in user-perceived characters.</summary>
    public const int HeadlineMaxLength = 220;

    /// <summary>Longest company name, in user-perceived characters.</summary>
    public const int CompanyMaxLength = 100;

    /// <summary>Longest time zone name (an IANA name such as <c>Europe/Paris</c>).</summary>
    public const int TimeZoneMaxLength = 64;

    /// <summary>The first problem with <paramref name="profile"/>, field by field, or null when it is fine.</summary>
    public static ProfileProblem? Check(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (TextRules.IsBlank(profile.Name) || TextRules.Length(profile.Name) > NameMaxLength)
        {
            return new("name", Refuse.With(RefusalCode.InvalidInput, $"A name is 1–{NameMaxLength} characters."));
        }
        if (TextRules.Length(profile.Headline) > HeadlineMaxLength)
        {
            return new("headline", Refuse.With(RefusalCode.InvalidInput, $"A headline is at most {HeadlineMaxLength} characters."));
        }
        if (TextRules.Length(profile.Company) > CompanyMaxLength)
        {
            return new("company", Refuse.With(RefusalCode.InvalidInput, $"A company is at most {CompanyMaxLength} characters."));
        }
        foreach (var (field, text) in new[] { ("name", profile.Name), ("headline", profile.Headline), ("company", profile.Company) })
        {
            if (TextRules.HasInvalidCharacters(text))
            {
                return new(field, Refuse.With(RefusalCode.InvalidCharacters, "A profile may not contain control characters."));
            }
        }
        if (profile.TimeZone is { } tz && !IsTimeZoneName(tz))
        {
            return new("timezone", Refuse.With(RefusalCode.InvalidInput, $"'{tz}' is not an IANA time zone name such as Europe/Paris."));
        }
        return null;
    }

    private static bool IsTimeZoneName(string tz) =>
        tz.Length is > 0 and <= TimeZoneMaxLength && tz.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+') && char.IsAsciiLetter(tz[0]);
}
