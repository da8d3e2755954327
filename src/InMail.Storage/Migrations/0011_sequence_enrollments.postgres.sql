-- Sequence enrolments (SPEC §10): the owner's document holds them; this table lets every server find
-- due steps without loading members, and the sequence page list enrolments without loading them all.
CREATE TABLE sequence_enrollments (
    owner_id TEXT NOT NULL, sequence_id TEXT NOT NULL, ordinal INTEGER NOT NULL, to_id TEXT NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL, variant TEXT, status TEXT NOT NULL, steps_sent INTEGER NOT NULL,
    next_due_at TIMESTAMPTZ, reason TEXT, PRIMARY KEY (owner_id, sequence_id, ordinal)
);
CREATE INDEX sequence_enrollments_due ON sequence_enrollments (next_due_at, owner_id, sequence_id, to_id) WHERE status = 'active';
