namespace InMail.Domain.Messaging;

/// <summary>One of a member's inbox labels (SPEC §11): a number that never changes and the name as first written (or last renamed).</summary>
public sealed record InboxLabel(int Id, string Name);
