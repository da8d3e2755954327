using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Domain.WorkingSet;

/// <summary>Loads aggregates from a source into a state on a miss (decision 007).</summary>
internal sealed class WorkingSetLoader(IStateSource source, PlanCatalog catalog)
{
    private bool _globalsLoaded;

    public IStateSource Source { get; } = source;

    public Member? LoadMember(InMailState state, string id)
    {
        if (!Identifiers.IsValid(id) || Source.Read(AggregateKey.ForMember(id)) is not { } doc)
        {
            return null;
        }
        var member = AggregateCodec.ReadMember(state, catalog, doc, Source);
        state.Loaded?.Invoke(AggregateKey.ForMember(id));
        return member;
    }

    public Team? LoadTeam(InMailState state, string id)
    {
        if (!Identifiers.IsValid(id) || Source.Read(AggregateKey.ForTeam(id)) is not { } doc)
        {
            return null;
        }
        var team = AggregateCodec.ReadTeam(state, catalog, doc, Source);
        state.Loaded?.Invoke(AggregateKey.ForTeam(id));
        return team;
    }

    public Group? LoadGroup(InMailState state, string id)
    {
        if (!Identifiers.IsValid(id) || Source.Read(AggregateKey.ForGroup(id)) is not { } doc)
        {
            return null;
        }
        var group = AggregateCodec.ReadGroup(state, doc);
        state.Loaded?.Invoke(AggregateKey.ForGroup(id));
        return group;
    }

    public Conversation? LoadConversation(InMailState state, MemberPair pair)
    {
        if (!Identifiers.IsValid(pair.A) || !Identifiers.IsValid(pair.B) || Source.Read(AggregateKey.ForConversation(pair)) is not { } doc)
        {
            return null;
        }
        var conversation = AggregateCodec.ReadConversation(state, doc);
        state.Loaded?.Invoke(AggregateKey.ForConversation(pair));
        return conversation;
    }

    public MemberPair? ConversationOfMessage(string id) => Identifiers.IsValid(id) ? Source.ConversationOfMessage(id) : null;

    public void EnsureGlobals(InMailState state)
    {
        if (_globalsLoaded)
        {
            return;
        }
        _globalsLoaded = true;
        if (Source.Read(AggregateKey.Globals) is { } doc)
        {
            AggregateCodec.ReadGlobals(state, doc);
        }
    }

    public void ForgetGlobals() => _globalsLoaded = false;
}
