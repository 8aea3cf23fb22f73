-- What an earlier run left of a concurrent detach of the partition $1 from
-- the table $2 (both as written in SQL): whether the partition is still
-- attached at all, and whether it is "detach pending" (the run stopped
-- between the detach's two transactions; DETACH ... FINALIZE finishes it).
-- One row always. `upgrade` runs it with parameters; the psql script
-- PREPAREs it.
SELECT count(*) > 0 AS attached,
       coalesce(bool_or(i.inhdetachpending), false) AS pending
FROM pg_inherits i
WHERE i.inhrelid = to_regclass($1)
  AND i.inhparent = to_regclass($2)
