-- Decision 017's claim was planned once per connection: PL/pgSQL keeps a generic plan after five calls, made while
-- `aggregates` was small (a fresh database, or the first minutes of a server), and kept using it as the table grew.
-- Measured on a fresh database at 32 clients: the claim took 0.9 ms per batch at first and 4.4 ms after 30 s, more
-- than the rest of the batch's statements together (bench/README.md, "Where the writer's time goes"). Each call now plans its
-- lookups for the table as it is.
ALTER FUNCTION inmail_claim(text[], bigint[], text[], text[]) SET plan_cache_mode = force_custom_plan;
