-- Decision 017's claim (0018) exists on PostgreSQL only; SQLite keeps its versions in step with nothing to change.
SELECT 1;
