using InMail.Domain.Catalog;
using InMail.Domain.Inspection;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §11 labels: the 20-label limit without regard to case, each member's own, all or nothing, and their place in the documents.</summary>
public sealed class LabelTests
{
    private static Given Inbox()
    {
        var given = new Given().Members("rita", "sam", "bo").Connect("rita", "sam").Connect("rita", "bo");
        Given.Ok(given.Send("rita", "sam", null, "Sam?"));
        given.At(given.Now.AddMinutes(1));
        Given.Ok(given.Send("bo", "rita", null, "Rita?"));
        return given;
    }

    [Fact]
    public void Twenty_labels_at_most_counted_without_regard_to_case_and_a_request_past_them_adds_nothing()
    {
        var given = Inbox();
        var twenty = Enumerable.Range(1, 20).Select(i => $"Label {i}").ToList();
        Given.Ok(given.Engine.Label(given.Now, "rita", "sam", twenty.Take(19).ToList(), null));
        // "LABEL 1" is the label "Label 1": only "Label 20" is new, and it fits.
        var labels = Given.Ok(given.Engine.Label(given.Now, "rita", "bo", ["LABEL 1", "Label 20"], null));
        Assert.Equal(["Label 1", "Label 20"], labels.Select(l => l.Name).ToArray());
        var before = StateJson.Snapshot(given.Engine, given.Now, includeActivity: true);
        Assert.Equal(RefusalCode.LabelLimitReached, given.Engine.Label(given.Now, "rita", "bo", ["label 2", "Label 21"], null).Refusal!.Code);
        Assert.Equal(RefusalCode.LabelLimitReached, given.Engine.CreateLabel(given.Now, "rita", "Label 21").Refusal!.Code);
        Assert.Equal(before, StateJson.Snapshot(given.Engine, given.Now, includeActivity: true));
        Given.Ok(given.Engine.DeleteLabel(given.Now, "rita", "label 7"));
        Given.Ok(given.Engine.CreateLabel(given.Now, "rita", "Label 21"));
        Assert.Equal(PlanCatalog.Default.Policy.LabelsPerMember, given.Member("rita").Labels.Count);
    }

    [Fact]
    public void Labels_are_each_members_own_and_the_inbox_filters_by_them()
    {
        var given = Inbox();
        Given.Ok(given.Engine.Label(given.Now, "rita", "sam", ["Hot"], null));
        Given.Ok(given.Engine.Label(given.Now, "sam", "rita", ["Recruiters"], null));
        Assert.Equal(["sam"], Given.Ok(given.Engine.Inbox(given.Now, "rita", "hot")).ToArray());
        Assert.Equal(["bo", "sam"], Given.Ok(given.Engine.Inbox(given.Now, "rita")).ToArray());
        Assert.Empty(Given.Ok(given.Engine.Inbox(given.Now, "sam", "hot")));
        Assert.Equal(["rita"], Given.Ok(given.Engine.Inbox(given.Now, "sam", "RECRUITERS")).ToArray());
        Assert.Equal(RefusalCode.UnknownConversation, given.Engine.Label(given.Now, "sam", "bo", ["Hot"], null).Refusal!.Code);
    }

    [Fact]
    public void A_deleted_label_leaves_its_conversations_and_a_new_one_of_the_same_name_starts_empty()
    {
        var given = Inbox();
        Given.Ok(given.Engine.Label(given.Now, "rita", "sam", ["Hot", "Later"], null));
        Given.Ok(given.Engine.DeleteLabel(given.Now, "rita", "hot"));
        Given.Ok(given.Engine.CreateLabel(given.Now, "rita", "Hot"));
        Assert.Empty(Given.Ok(given.Engine.Inbox(given.Now, "rita", "hot")));
        var conversation = given.Engine.State.FindConversation("rita", "sam")!;
        Assert.Equal(["Later"], InMailEngine.LabelsOn(conversation, given.Member("rita")).Select(l => l.Name).ToArray());
        Given.Ok(given.Engine.RenameLabel(given.Now, "rita", "later", "Next week"));
        Assert.Equal(["sam"], Given.Ok(given.Engine.Inbox(given.Now, "rita", "next week")).ToArray());
    }

    [Fact]
    public void Labels_leave_memory_with_their_member_and_conversation_and_come_back()
    {
        var given = Inbox();
        Given.Ok(given.Engine.Label(given.Now, "rita", "sam", ["Hot", "Backend"], null));
        Given.Ok(given.Engine.DeleteLabel(given.Now, "rita", "backend"));
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var rita = reloaded.State.FindMember("rita")!;
        Assert.Equal(["Hot"], rita.Labels.Select(l => l.Name).ToArray());
        Assert.Equal(3, rita.NextLabelId);
        Assert.Equal(["sam"], Given.Ok(reloaded.Inbox(given.Now, "rita", "HOT")).ToArray());
        // The next label gets a new number: the deleted one's stays unused.
        Assert.Equal(3, Given.Ok(reloaded.CreateLabel(given.Now, "rita", "Backend")).Id);
        Assert.Empty(Given.Ok(reloaded.Inbox(given.Now, "rita", "backend")));
    }
}
