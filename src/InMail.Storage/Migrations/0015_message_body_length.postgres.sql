-- Issue 13 (decision 014): a body's length in user-perceived characters (SPEC §5), written by the
-- projector with the row, so the Results charts bucket 100,000 InMails by length without reading and
-- segmenting 100,000 bodies. Rows written before this migration have null, and the reader measures
-- their body instead.
ALTER TABLE messages ADD COLUMN body_chars INTEGER;
