-- What an earlier run left of a concurrent index build: for the index named
-- $1 (as stored) on the table $2 (as written in SQL), whether a finished
-- one is there, whether an unfinished (INVALID) one is, and its
-- schema-qualified name, quoted ('' when there is none). One row always.
-- `upgrade` runs it with parameters; the psql script PREPAREs it.
SELECT coalesce(bool_or(i.indisvalid AND i.indisready), false) AS built,
       coalesce(bool_or(NOT (i.indisvalid AND i.indisready)), false) AS invalid,
       coalesce(max(quote_ident(n.nspname) || '.' || quote_ident(c.relname)), '') AS index
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $1
  AND i.indrelid = to_regclass($2)
