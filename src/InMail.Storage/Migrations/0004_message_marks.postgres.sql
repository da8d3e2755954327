-- SPEC §9: the sender's mark on an InMail's outcome (positive, meeting-booked), null when unmarked.
-- Existing rows had no marks, so null is right for them.
ALTER TABLE messages ADD COLUMN outcome TEXT CHECK (outcome IN ('positive', 'meeting-booked'));
