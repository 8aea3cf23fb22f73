-- An index of the given name ($1, as stored) on the given table ($2, as
-- written in SQL): whether it is valid, and its schema-qualified name, quoted.
-- No row's values (NULL, NULL) when there is none.
SELECT bool_and(i.indisvalid AND i.indisready),
       max(quote_ident(n.nspname) || '.' || quote_ident(c.relname))
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $1
  AND i.indrelid = to_regclass($2)
