-- 0008 indexed a member's conversations by the conversation's last activity; since 0013 the inbox orders each member's
-- side by its own activity (activity_a, activity_b) and reads it through conversations_a_mine and conversations_b_mine.
-- Nothing reads last_activity_at by member any more, but every message moved an entry in each of these two indexes:
-- two B-tree leaves written per message for no reader (bench/README.md, "Where the writer's time goes").
DROP INDEX IF EXISTS conversations_a_activity;
DROP INDEX IF EXISTS conversations_b_activity;
