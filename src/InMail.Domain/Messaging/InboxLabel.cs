namespace InMail.Domain.Messaging;

/// <summary>One of a member's inbox labels (SPEC §11): a number that never changes and the name as first written (or last renamed).</summary>
/// <param name="Id">The label's number, unique among the member's labels and never reused.</param>
/// <param name="Name">The name as first written, or as last renamed; unique without regard to case.</param>
public sealed record InboxLabel(int Id, string Name);
