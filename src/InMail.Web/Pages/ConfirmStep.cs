namespace InMail.Web.Pages;

/// <summary>
/// A question asked before an action that spends money or removes something: what will happen, in
/// lines, then a form that posts the same action again with <c>confirmed=true</c>, or a way back.
/// </summary>
/// <param name="Title">The question, naming the action ("Buy 25 credits for $250.00?").</param>
/// <param name="Lines">What happens, one consequence a line.</param>
/// <param name="Action">Where the confirming form posts (the page and its handler).</param>
/// <param name="Fields">The action's own fields, carried as hidden inputs.</param>
/// <param name="ConfirmLabel">The confirming button ("Confirm: buy 25 credits").</param>
/// <param name="BackHref">Where "no" goes.</param>
/// <param name="BackLabel">What "no" says.</param>
public sealed record ConfirmStep(string Title, IReadOnlyList<string> Lines, string Action, IReadOnlyList<(string Name, string Value)> Fields,
    string ConfirmLabel, string BackHref, string BackLabel = "No, go back");
