-- Per-template outreach measures (issue 13): the id of the sender's template a message was rendered from,
-- null for typed text. Messages sent before this migration did not record it, so null is all they can say.
ALTER TABLE messages ADD COLUMN template_id TEXT;
