namespace InMail.Cli.Generate;

/// <summary>The generated history's names and texts: plausible, varied, and within every content limit.</summary>
internal static class Words
{
    private static readonly string[] First =
    [
        "Ada", "Ben", "Chloé", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ibrahim", "Jana", "Kofi", "Lena", "Mateo", "Nadia",
        "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Amara", "Bilal",
        "Carmen", "Daniel", "Emeka", "Fiona", "Giulia", "Hiro", "Ines", "Jonas", "Keiko", "Lucas", "Maya", "Noah", "Olga", "Pedro",
    ];

    private static readonly string[] Last =
    [
        "Okafor", "Schmidt", "García", "Nguyen", "Kowalski", "Haddad", "Johansson", "Rossi", "Tanaka", "Müller", "Silva", "Kim",
        "Dubois", "Novak", "Andersen", "Patel", "O'Brien", "Yilmaz", "Fischer", "Moreau", "Costa", "Ivanova", "Chen", "Mensah",
        "Laine", "Horvat", "Bianchi", "Sato", "Larsen", "Mendes", "Weber", "Ahmed", "Jansen", "Popescu", "Svensson", "Rahman",
    ];

    private static readonly string[] Roles =
    [
        "Software Engineer", "Senior Backend Engineer", "Product Manager", "Data Scientist", "Technical Recruiter", "Talent Partner",
        "Account Executive", "Sales Development Representative", "Engineering Manager", "UX Designer", "Head of Growth",
        "Site Reliability Engineer", "Marketing Lead", "Finance Analyst", "Founder", "Chief Technology Officer", "Customer Success Manager",
    ];

    private static readonly string[] Companies =
    [
        "Northwind Labs", "Contoso Health", "Fabrikam Logistics", "Tailspin Energy", "Adatum Payments", "Litware", "Proseware",
        "Wingtip Media", "Coho Vineyard", "Lucerne Publishing", "Humongous Insurance", "Blue Yonder Air", "Fourth Coffee",
        "Alpine Robotics", "Margie's Travel", "Woodgrove Bank", "Trey Research", "Graphic Design Institute", "Relecloud", "Datum Cloud",
    ];

    private static readonly string[] Zones =
    [
        "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Warsaw", "America/New_York", "America/Chicago", "America/Los_Angeles",
        "America/Sao_Paulo", "Asia/Tokyo", "Asia/Singapore", "Asia/Kolkata", "Africa/Lagos", "Africa/Nairobi", "Australia/Sydney",
    ];

    private static readonly string[] Subjects =
    [
        "Quick question about your work at {0}", "Opportunity: {1} role", "Would you be open to a chat?", "Your experience with distributed systems",
        "Introduction from a fellow {1}", "Exploring a partnership", "Coffee next week?", "A role you might like", "Following up on your talk",
        "Hiring for a {1} in your area", "Idea for {0}", "Your profile caught my eye",
    ];

    private static readonly string[] Openers =
    [
        "Hi {0},", "Hello {0},", "Dear {0},", "Hi {0}, I hope this finds you well.", "Good morning {0},",
    ];

    private static readonly string[] Middles =
    [
        "I came across your profile and was impressed by what you have built.",
        "We are growing the team and I think your background would be a great fit.",
        "A colleague mentioned your name when we were discussing the project.",
        "I lead a small group working on payments infrastructure and we are looking for someone with your experience.",
        "I read your recent post and had a few questions about how you approached it.",
        "We help teams like yours cut their onboarding time in half, and I would love to show you how.",
        "The role is fully remote, with a team spread over three time zones.",
        "I would be glad to share the details, including compensation, if you are interested.",
        "No pressure at all; I know messages like this arrive often.",
        "Our customers include several companies in your industry.",
    ];

    private static readonly string[] Closers =
    [
        "Would you have 20 minutes this week?", "Let me know if this sounds interesting.", "Thanks for reading, and have a good day.",
        "Happy to work around your calendar.", "Best regards.", "Looking forward to hearing from you.",
    ];

    private static readonly string[] Replies =
    [
        "Thanks for reaching out! Happy to talk, how about Thursday afternoon?", "Thanks, but I am not looking right now.",
        "Sounds interesting, can you send more details?", "I appreciate the note. Let us connect next quarter.",
        "Sure, here is my calendar link: I am free most mornings.", "Good to hear from you. Yes, let us set something up.",
        "Thank you, that is kind. What is the salary range?", "Not a fit for me, but I know someone who might be interested.",
    ];

    private static readonly string[] Chat =
    [
        "Great to catch up earlier!", "Did you see the announcement this morning?", "Sending the slides now.", "Thanks, that helps a lot.",
        "Are we still on for Friday?", "Congrats on the new role!", "I will have a look and get back to you.", "Ha, exactly what I thought.",
        "Can you share the doc with the team?", "Running five minutes late, sorry.",
    ];

    private static readonly string[] Topics =
    [
        "Distributed Systems", "Product Leadership", "Recruiting Ops", "Data Engineering", "Founders", "Sales Leaders", "Design Systems",
        "Cloud Security", "Fintech", "Women in Tech", "Remote Work", "Machine Learning",
    ];

    private static string Pick(Random rng, string[] from) => from[rng.Next(from.Length)];

    public static string Name(Random rng) => $"{Pick(rng, First)} {Pick(rng, Last)}";

    public static string Headline(Random rng) => $"{Pick(rng, Roles)} at {Pick(rng, Companies)}";

    public static string Company(Random rng) => Pick(rng, Companies);

    public static string TimeZone(Random rng) => Pick(rng, Zones);

    public static string Subject(Random rng) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(rng, Subjects), Pick(rng, Companies), Pick(rng, Roles));

    public static string Body(Random rng, string toName, bool formal)
    {
        var first = toName.Split(' ')[0];
        if (!formal)
        {
            return rng.NextDouble() < 0.5 ? Pick(rng, Chat) : $"Hi {first}! {Pick(rng, Chat)}";
        }
        var middle = rng.Next(1, 4);
        var parts = new List<string> { string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(rng, Openers), first) };
        for (var i = 0; i < middle; i++)
        {
            parts.Add(Pick(rng, Middles));
        }
        parts.Add(Pick(rng, Closers));
        return string.Join(rng.NextDouble() < 0.5 ? " " : "\n\n", parts);
    }

    public static string Reply(Random rng, int kind) => kind switch
    {
        0 => Pick(rng, Replies),
        1 => "Happy to connect, thanks.",
        _ => "Thanks, but not for me.",
    };

    public static string Note(Random rng, string toName) => $"Hi {toName.Split(' ')[0]}, we met at {Pick(rng, Topics)} meetup. Would be great to stay in touch.";

    public static string GroupName(Random rng, string id) => $"{Pick(rng, Topics)} ({id})";
}
