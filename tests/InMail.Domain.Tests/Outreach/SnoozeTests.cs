using InMail.Domain.Catalog;
using InMail.Domain.Messaging;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §11 snooze and reminders: back on top and marked unread, ended early by the other member, cancelled by a reply, never early, and kept with the conversation.</summary>
public sealed class SnoozeTests
{
    private static Given Inbox()
    {
        var given = new Given().Members("rita", "sam", "bo").Connect("rita", "sam").Connect("rita", "bo");
        Given.Ok(given.Send("sam", "rita", null, "Rita?"));
        given.At(given.Now.AddMinutes(1));
        Given.Ok(given.Send("bo", "rita", null, "Rita, a question."));
        Given.Ok(given.Engine.MarkRead(given.Now, "rita", "sam"));
        return given;
    }

    private static void RunUntil(Given given, DateTimeOffset until)
    {
        while (given.Engine.DueWork(until) is { Count: > 0 } due)
        {
            Assert.True(due[0].ToCommand().Apply(given.Engine, due[0].At).IsSuccess);
        }
        given.Now = until;
    }

    [Fact]
    public void A_snooze_ends_at_its_instant_on_top_and_marked_unread_until_read()
    {
        var given = Inbox();
        var until = given.Now.AddDays(2);
        Given.Ok(given.Engine.Snooze(given.Now, "rita", "sam", until));
        Assert.Equal(["bo"], Given.Ok(given.Engine.Inbox(given.Now, "rita")).ToArray());
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.RunTimer(until.AddTicks(-1), "rita", "sam", TimerKinds.Snooze).Refusal!.Code);
        RunUntil(given, until);
        Assert.Equal(["sam", "bo"], Given.Ok(given.Engine.Inbox(given.Now, "rita")).ToArray());
        var conversation = given.Engine.State.FindConversation("rita", "sam")!;
        Assert.True(conversation.IsMarkedUnreadFor("rita"));
        Assert.Equal(until, conversation.ActivityFor("rita"));
        Assert.Equal(until.AddDays(-2).AddMinutes(-1), conversation.ActivityFor("sam")); // Sam's own order is his
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.RunTimer(until, "rita", "sam", TimerKinds.Snooze).Refusal!.Code); // once
        Assert.Equal(1, Given.Ok(given.Engine.MarkRead(given.Now, "rita", "sam")));
        Assert.False(conversation.IsMarkedUnreadFor("rita"));
    }

    [Fact]
    public void The_other_member_writing_ends_a_snooze_and_cancels_a_reminder_set_unless_they_reply()
    {
        var given = Inbox();
        Given.Ok(given.Engine.Snooze(given.Now, "rita", "sam", given.Now.AddDays(7)));
        Given.Ok(given.Engine.Remind(given.Now, "rita", "sam", given.Now.AddDays(3), unlessReply: true));
        given.At(given.Now.AddHours(1));
        Given.Ok(given.Send("sam", "rita", null, "Any news?"));
        var conversation = given.Engine.State.FindConversation("rita", "sam")!;
        Assert.Null(conversation.SnoozedUntil("rita"));
        Assert.Null(conversation.ReminderFor("rita"));
        Assert.Empty(given.Engine.DueWork(given.Now.AddDays(30)));
        Assert.Equal(["sam", "bo"], Given.Ok(given.Engine.Inbox(given.Now, "rita")).ToArray());
    }

    [Fact]
    public void A_reminder_brings_an_archived_conversation_back_with_a_notification_stamped_at_its_instant()
    {
        var given = Inbox();
        Given.Ok(given.Engine.Archive(given.Now, "rita", "bo", true));
        var at = given.Now.AddDays(1);
        Given.Ok(given.Engine.Remind(given.Now, "rita", "bo", at, unlessReply: false));
        RunUntil(given, at.AddDays(10));
        Assert.Equal(["bo", "sam"], Given.Ok(given.Engine.Inbox(given.Now, "rita")).ToArray());
        var reminder = Assert.Single(Given.Ok(given.Engine.Notifications(given.Now, "rita")));
        Assert.Equal((NotificationKinds.Reminder, at, "bo"), (reminder.Kind, reminder.At, reminder.About));
    }

    [Fact]
    public void Snoozes_and_reminders_leave_memory_with_their_conversation_and_come_back()
    {
        var given = Inbox();
        var until = given.Now.AddDays(2);
        Given.Ok(given.Engine.Snooze(given.Now, "rita", "sam", until));
        Given.Ok(given.Engine.Remind(given.Now, "rita", "bo", until.AddDays(1), unlessReply: true));
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var sam = reloaded.State.FindConversation("rita", "sam")!;
        var bo = reloaded.State.FindConversation("rita", "bo")!;
        Assert.Equal(until, sam.SnoozedUntil("rita"));
        Assert.Equal(new ConversationReminder(until.AddDays(1), true, given.Now), bo.ReminderFor("rita"));
        Assert.Equal(["bo"], Given.Ok(reloaded.Inbox(given.Now, "rita")).ToArray());
        var due = reloaded.DueWork(until.AddDays(1));
        Assert.Equal([TimerKinds.Snooze, TimerKinds.Reminder], due.Select(d => d.Id).ToArray());
    }
}
