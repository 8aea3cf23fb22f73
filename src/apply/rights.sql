-- What the current role may do with the version table $1 (as written in
-- SQL, schema-qualified) in the schema $2 (as stored). One row always:
-- the role; whether the table is there; whether the role may create it
-- (CREATE on the schema, or on the database when the schema is missing
-- too); and the rights it lacks on the table that is there (USAGE on its
-- schema, SELECT, INSERT, UPDATE, DELETE).
SELECT current_user::text AS role,
       t.oid IS NOT NULL AS present,
       CASE WHEN n.oid IS NULL THEN has_database_privilege(current_database(), 'CREATE')
            ELSE has_schema_privilege(n.oid, 'CREATE') END AS may_create,
       n.oid IS NOT NULL AS schema_present,
       current_database()::text AS database,
       array_remove(ARRAY[
           CASE WHEN n.oid IS NOT NULL AND NOT has_schema_privilege(n.oid, 'USAGE') THEN 'USAGE' END,
           CASE WHEN t.oid IS NOT NULL AND NOT has_table_privilege(t.oid, 'SELECT') THEN 'SELECT' END,
           CASE WHEN t.oid IS NOT NULL AND NOT has_table_privilege(t.oid, 'INSERT') THEN 'INSERT' END,
           CASE WHEN t.oid IS NOT NULL AND NOT has_table_privilege(t.oid, 'UPDATE') THEN 'UPDATE' END,
           CASE WHEN t.oid IS NOT NULL AND NOT has_table_privilege(t.oid, 'DELETE') THEN 'DELETE' END
       ], NULL) AS missing
FROM (SELECT to_regclass($1)::oid AS oid) t
LEFT JOIN pg_namespace n ON n.nspname = $2
