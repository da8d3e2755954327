-- Inbox labels (SPEC §11): the member's labels, and which of them each member put on a conversation.
-- Ids are never reused, so a row naming a deleted label matches no label of its member.
CREATE TABLE member_labels (member_id TEXT NOT NULL, label_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (member_id, label_id));
CREATE TABLE conversation_labels (member_id TEXT NOT NULL, other_id TEXT NOT NULL, label_id INTEGER NOT NULL, PRIMARY KEY (member_id, label_id, other_id));
