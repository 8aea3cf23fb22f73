//! The catalog queries, one per kind of object, each for the whole database.
//!
//! They take the list of schemas as `$1` (an empty list means every schema
//! that is not PostgreSQL's own) and run on PostgreSQL 13 to 17: columns that
//! PostgreSQL 15 added (`indnullsnotdistinct`, `confdelsetcols`) are read
//! only from servers that have them.
//! The name `pg_temp` in `$1` stands for this session's temporary schema.

/// The schemas to read: `$1`, or all but PostgreSQL's own.
const NAMESPACES: &str = "
namespaces AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE CASE WHEN cardinality($1::text[]) = 0
               THEN n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
               ELSE n.nspname = ANY($1::text[])
                    OR (n.oid = pg_my_temp_schema() AND 'pg_temp' = ANY($1::text[])) END
)";

/// Plain tables of those schemas that are not part of an extension, not a
/// partition and not a child of inheritance.
/// The object `oid` (a row of the catalog `catalog`) is not a member of an
/// extension, whose objects trellisc leaves to it. The members are found
/// once through the index on what they depend on (an extension) and
/// hashed; a `NOT EXISTS` probe per row cost 2.5 times as much on 3,000
/// tables, and the tables' list is made in most queries.
fn not_an_extension_member(catalog: &str, oid: &str) -> String {
    format!(
        "{oid} NOT IN (SELECT x.objid FROM pg_depend x
                    WHERE x.refclassid = 'pg_extension'::regclass AND x.classid = '{catalog}'::regclass
                      AND x.deptype = 'e')"
    )
}

/// Not a function PostgreSQL makes along with another object and drops
/// with it (a range type's constructors): an internal dependency.
fn not_internal(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend i
                  WHERE i.classid = '{catalog}'::regclass AND i.objid = {oid} AND i.deptype = 'i')"
    )
}

fn tables_cte() -> String {
    let not_member = not_an_extension_member("pg_class", "c.oid");
    format!(
        "{NAMESPACES},
tables AS MATERIALIZED (
    SELECT c.oid, n.nspname, c.relname, c.relpersistence, c.reloptions, c.relreplident
    FROM pg_class c
    JOIN namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND {not_member}
)"
    )
}

/// The schemas themselves, so that an empty one exists too, with their
/// comments (not `public`'s own, which PostgreSQL gives it). Not the
/// session's temporary schema, and not one an extension made.
pub fn schemas() -> String {
    let not_member = not_an_extension_member("pg_namespace", "n.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text,
       CASE WHEN n.nspname = 'public' AND d.description = 'standard public schema' THEN NULL
            ELSE d.description END
FROM namespaces n
LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.oid <> pg_my_temp_schema()
  AND {not_member}
ORDER BY 1"
    )
}

/// Domains: the type under each (element type and array dimensions, as for
/// a column), its collation where it is not the type's own, default, not
/// null, comment, and its checks by name (expression, validated).
pub fn domains() -> String {
    let not_member = not_an_extension_member("pg_type", "t.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, t.typname::text,
       en.nspname::text, et.typname::text, format_type(et.oid, t.typtypmod),
       CASE WHEN be.oid IS NOT NULL THEN greatest(t.typndims, 1) ELSE 0 END,
       CASE WHEN t.typcollation <> b.typcollation THEN co.collname::text END,
       pg_get_expr(t.typdefaultbin, 0), t.typnotnull, d.description,
       coalesce((SELECT array_agg(c.conname::text ORDER BY c.conname) FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c'), '{{}}'),
       coalesce((SELECT array_agg(pg_get_expr(c.conbin, 0) ORDER BY c.conname) FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c'), '{{}}'),
       coalesce((SELECT array_agg(c.convalidated ORDER BY c.conname) FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c'), '{{}}'),
       CASE WHEN NOT pg_collation_is_visible(co.oid) THEN con.nspname::text END
FROM pg_type t
JOIN namespaces n ON n.oid = t.typnamespace
JOIN pg_type b ON b.oid = t.typbasetype
-- An array is the array type of its element (`int2vector` is not).
LEFT JOIN pg_type be ON be.oid = b.typelem AND be.typarray = b.oid
JOIN pg_type et ON et.oid = coalesce(be.oid, b.oid)
JOIN pg_namespace en ON en.oid = et.typnamespace
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typtype = 'd'
  AND {not_member}
ORDER BY 1, 2"
    )
}

/// Composite types (`CREATE TYPE ... AS (...)`), one row per attribute in
/// order (a type without attributes has one row of nulls): the type's
/// schema, name and comment, then the attribute's name, type (element
/// schema, name, formatted, dimensions), collation where it is not the
/// type's (and its schema where the search path does not find it) and
/// comment.
pub fn composites() -> String {
    let not_member = not_an_extension_member("pg_type", "t.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, t.typname::text, d.description,
       a.attname::text, en.nspname::text, et.typname::text, format_type(et.oid, a.atttypmod),
       CASE WHEN el.oid IS NOT NULL THEN greatest(a.attndims, 1) ELSE 0 END,
       CASE WHEN a.attcollation <> ty.typcollation THEN co.collname::text END,
       CASE WHEN NOT pg_collation_is_visible(co.oid) THEN con.nspname::text END,
       ad.description
FROM pg_type t
JOIN namespaces n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type ty ON ty.oid = a.atttypid
-- An array is the array type of its element (`int2vector` is not).
LEFT JOIN pg_type el ON el.oid = ty.typelem AND el.typarray = ty.oid
LEFT JOIN pg_type et ON et.oid = coalesce(el.oid, ty.oid)
LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
LEFT JOIN pg_description ad ON ad.objoid = c.oid AND ad.classoid = 'pg_class'::regclass AND ad.objsubid = a.attnum
WHERE t.typtype = 'c' AND {not_member}
ORDER BY 1, 2, a.attnum"
    )
}

/// Range types: schema, name, comment, the subtype (element schema, name,
/// formatted, dimensions), then each option where it is not the default,
/// as a name and the schema the search path does not find it in: the
/// operator class, the collation, the canonical and subtype_diff
/// functions, and (PostgreSQL 14) the multirange type's schema and name.
pub fn ranges(major: u32) -> String {
    let not_member = not_an_extension_member("pg_type", "t.oid");
    let (multirange, join) = if major >= 14 {
        (
            "mn.nspname::text, mt.typname::text",
            "LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace",
        )
    } else {
        ("NULL::text, NULL::text", "")
    };
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, t.typname::text, d.description,
       en.nspname::text, et.typname::text, format_type(et.oid, NULL),
       CASE WHEN el.oid IS NOT NULL THEN 1 ELSE 0 END,
       CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END,
       CASE WHEN NOT opc.opcdefault AND NOT pg_opclass_is_visible(opc.oid) THEN opn.nspname::text END,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN co.collname::text END,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation AND NOT pg_collation_is_visible(co.oid)
            THEN con.nspname::text END,
       CASE WHEN r.rngcanonical <> 0 THEN cp.proname::text END,
       CASE WHEN r.rngcanonical <> 0 AND NOT pg_function_is_visible(cp.oid) THEN cpn.nspname::text END,
       CASE WHEN r.rngsubdiff <> 0 THEN dp.proname::text END,
       CASE WHEN r.rngsubdiff <> 0 AND NOT pg_function_is_visible(dp.oid) THEN dpn.nspname::text END,
       {multirange}
FROM pg_range r
JOIN pg_type t ON t.oid = r.rngtypid
JOIN namespaces n ON n.oid = t.typnamespace
JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_type el ON el.oid = st.typelem AND el.typarray = st.oid
JOIN pg_type et ON et.oid = coalesce(el.oid, st.oid)
JOIN pg_namespace en ON en.oid = et.typnamespace
JOIN pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_proc cp ON cp.oid = r.rngcanonical
LEFT JOIN pg_namespace cpn ON cpn.oid = cp.pronamespace
LEFT JOIN pg_proc dp ON dp.oid = r.rngsubdiff
LEFT JOIN pg_namespace dpn ON dpn.oid = dp.pronamespace
{join}
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE {not_member}
ORDER BY 1, 2"
    )
}

pub fn extensions() -> String {
    "
SELECT e.extname::text, e.extversion, n.nspname::text, a.default_version,
       CASE WHEN d.description IS DISTINCT FROM a.comment THEN d.description END
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_available_extensions a ON a.name = e.extname
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass AND d.objsubid = 0
WHERE e.extname <> 'plpgsql'
ORDER BY 1"
        .to_string()
}

pub fn enums() -> String {
    let not_member = not_an_extension_member("pg_type", "t.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, t.typname::text,
       coalesce((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                 FROM pg_enum e WHERE e.enumtypid = t.oid), '{{}}'),
       d.description
FROM pg_type t
JOIN namespaces n ON n.oid = t.typnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typtype = 'e'
  AND {not_member}
ORDER BY 1, 2"
    )
}

/// Sequences that are not an identity column's own.
/// Free-standing sequences and those a managed table's column owns (one a
/// partitioned table or a view owns goes with it, unmanaged).
pub fn sequences() -> String {
    format!(
        "WITH {}
SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL),
       s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle,
       tn.nspname::text, t.relname::text, a.attname::text, d.description
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN namespaces n ON n.oid = c.relnamespace
LEFT JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid
                     AND o.refclassid = 'pg_class'::regclass AND o.refobjsubid > 0 AND o.deptype = 'a'
LEFT JOIN pg_class t ON t.oid = o.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE NOT EXISTS (SELECT 1 FROM pg_depend x
                  WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype IN ('i', 'e'))
  AND (t.oid IS NULL OR t.oid IN (SELECT oid FROM tables)
       OR t.relnamespace NOT IN (SELECT oid FROM namespaces))
ORDER BY 1, 2",
        tables_cte()
    )
}

pub fn tables() -> String {
    format!(
        "WITH {}
SELECT t.nspname::text, t.relname::text, t.relpersistence::text, coalesce(t.reloptions, '{{}}'),
       t.relreplident::text, d.description, t.oid, c.relrowsecurity, c.relforcerowsecurity,
       -- Partitioned: its key; a partition: its parent and bound; else the
       -- tables it inherits, in order.
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
       ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
       (SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisclustered),
       (SELECT am.amname::text FROM pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap'),
       -- 0 is the database's default; pg_default is taken for it.
       (SELECT ts.spcname::text FROM pg_tablespace ts
        WHERE ts.oid = c.reltablespace AND ts.spcname <> 'pg_default')
FROM tables t
JOIN pg_class c ON c.oid = t.oid
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
ORDER BY 1, 2",
        tables_cte()
    )
}

/// Columns, with the element type of arrays, the default or generation
/// expression, and an identity column's sequence. Put in order by table
/// and number by the reader: sorted here, the wide rows spilled to disk
/// past `work_mem` on a few thousand tables.
pub fn columns(major: u32) -> String {
    let compression = if major >= 14 {
        "nullif(a.attcompression::text, '')"
    } else {
        "NULL::text"
    };
    format!(
        "WITH {}
SELECT NULL, NULL, a.attname::text,
       en.nspname::text, et.typname::text, format_type(et.oid, a.atttypmod),
       CASE WHEN el.oid IS NOT NULL THEN greatest(a.attndims, 1) ELSE 0 END,
       a.attnotnull,
       -- A default names no column: deparsed without the table, six times faster.
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) ELSE pg_get_expr(ad.adbin, ad.adrelid) END,
       a.attidentity::text, a.attgenerated::text,
       CASE WHEN a.attcollation <> ty.typcollation THEN co.collname::text END,
       d.description,
       sn.nspname::text, sc.relname::text, format_type(s.seqtypid, NULL),
       s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle,
       a.attrelid, a.attnum, a.attcollation,
       -- The collation's schema where the search path does not find it.
       CASE WHEN NOT pg_collation_is_visible(co.oid) THEN con.nspname::text END,
       -- Settings where they are not the defaults (-1 or NULL, the type's storage).
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END,
       CASE WHEN a.attstorage <> ty.typstorage THEN a.attstorage::text END,
       {compression}, a.attoptions::text[],
       -- Its own: neither a parent's nor merged with one.
       a.attislocal AND a.attinhcount = 0
FROM tables t
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type ty ON ty.oid = a.atttypid
-- An array is the array type of its element (`int2vector` is not).
LEFT JOIN pg_type el ON el.oid = ty.typelem AND el.typarray = ty.oid
JOIN pg_type et ON et.oid = coalesce(el.oid, ty.oid)
JOIN pg_namespace en ON en.oid = et.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
-- Looked up for identity columns alone (`OFFSET 0` keeps the planner from
-- making it a join that sorts every column row to merge with pg_depend).
LEFT JOIN LATERAL (SELECT id.objid FROM pg_depend id
                   WHERE a.attidentity <> '' AND id.classid = 'pg_class'::regclass
                     AND id.refclassid = 'pg_class'::regclass AND id.refobjid = t.oid
                     AND id.refobjsubid = a.attnum AND id.deptype = 'i'
                   OFFSET 0) id ON true
LEFT JOIN pg_class sc ON sc.oid = id.objid
LEFT JOIN pg_namespace sn ON sn.oid = sc.relnamespace
LEFT JOIN pg_sequence s ON s.seqrelid = sc.oid",
        tables_cte()
    )
}

/// Primary key, unique, check, foreign key and exclusion constraints; their
/// columns by number (named from the columns query, or
/// [`referenced_columns`] for tables outside the schemas read).
pub fn constraints(major: u32) -> String {
    let set_columns = if major >= 15 {
        "co.confdelsetcols"
    } else {
        "NULL::int2[]"
    };
    format!(
        "WITH {}
SELECT t.nspname::text, t.relname::text, co.conname::text, co.contype::text,
       co.condeferrable, co.condeferred, co.convalidated, co.connoinherit,
       co.conrelid, co.conkey, fn.nspname::text, fc.relname::text, co.confrelid, co.confkey,
       co.confmatchtype::text, co.confupdtype::text, co.confdeltype::text,
       {set_columns},
       CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END,
       ic.relname::text, co.conexclop::oid[], d.description
FROM tables t
-- Not those a partition or child has from its parent.
JOIN pg_constraint co ON co.conrelid = t.oid AND co.contype IN ('p', 'u', 'c', 'f', 'x')
                     AND co.conparentid = 0 AND co.conislocal
LEFT JOIN pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_class ic ON co.contype IN ('p', 'u', 'x') AND ic.oid = co.conindid
LEFT JOIN pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0",
        tables_cte()
    )
}

/// Column names of tables that foreign keys reference outside the schemas
/// read.
pub fn referenced_columns() -> String {
    format!(
        "WITH {}
SELECT a.attrelid, a.attnum, a.attname::text
FROM pg_attribute a
WHERE a.attnum > 0
  AND a.attrelid IN (SELECT co.confrelid FROM pg_constraint co JOIN tables t ON t.oid = co.conrelid
                     WHERE co.contype = 'f' AND co.confrelid NOT IN (SELECT oid FROM tables))",
        tables_cte()
    )
}

/// Every index, those behind constraints too (their include columns and
/// storage parameters belong to the constraint); key columns, operator
/// classes, collations and options by number, resolved with the columns,
/// [`operator_classes`], [`collations`] and [`index_expressions`].
pub fn indexes(major: u32) -> String {
    let nulls_not_distinct = if major >= 15 { "i.indnullsnotdistinct" } else { "false" };
    format!(
        "WITH {}
SELECT t.nspname::text, t.relname::text, ic.relname::text, i.indisunique,
       {nulls_not_distinct},
       am.amname::text, i.indnkeyatts::int4, i.indrelid, i.indexrelid,
       i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[],
       coalesce(ic.reloptions, '{{}}'), pg_get_expr(i.indpred, i.indrelid),
       EXISTS (SELECT 1 FROM pg_constraint co
               WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')),
       d.description, i.indisreplident
FROM tables t
JOIN pg_index i ON i.indrelid = t.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
-- Not a partition of its parent's index.
  AND NOT EXISTS (SELECT 1 FROM pg_inherits x WHERE x.inhrelid = i.indexrelid)
LEFT JOIN pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0",
        tables_cte()
    )
}

/// The expressions of each expression index (PostgreSQL's list, in key
/// order), and the parameters of operator classes by index and position.
pub fn index_expressions() -> String {
    format!(
        "WITH {},
indexes AS MATERIALIZED (SELECT i.* FROM pg_index i JOIN tables t ON t.oid = i.indrelid)
SELECT i.indexrelid, 0, pg_get_expr(i.indexprs, i.indrelid), NULL::text[]
FROM indexes i
WHERE i.indexprs IS NOT NULL
UNION ALL
SELECT a.attrelid, a.attnum::int4, NULL, a.attoptions
FROM indexes i
JOIN pg_attribute a ON a.attrelid = i.indexrelid AND a.attoptions IS NOT NULL",
        tables_cte()
    )
}

/// Operator classes: their schema where the search path does not find
/// them, and which are the default for their type.
pub fn operator_classes() -> String {
    "SELECT oc.oid, CASE WHEN NOT pg_opclass_is_visible(oc.oid) THEN n.nspname::text END,
       oc.opcname::text, oc.opcdefault
FROM pg_opclass oc JOIN pg_namespace n ON n.oid = oc.opcnamespace"
        .to_string()
}

/// Collations (with their schema where the search path does not find
/// them) and exclusion operators by oid.
pub fn collations_and_operators() -> String {
    "SELECT co.oid, co.collname::text, CASE WHEN NOT pg_collation_is_visible(co.oid) THEN n.nspname::text END
FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
UNION ALL
SELECT oid, oprname::text, NULL FROM pg_operator
WHERE oid IN (SELECT unnest(conexclop) FROM pg_constraint WHERE contype = 'x')"
        .to_string()
}

/// Functions and procedures that are not an extension's: the argument
/// list and what follows it in `pg_get_functiondef`, and the comment.
pub fn routines() -> String {
    let not_member = format!(
        "{} AND {}",
        not_an_extension_member("pg_proc", "p.oid"),
        not_internal("pg_proc", "p.oid")
    );
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, p.proname::text, p.prokind = 'p', args,
       -- What follows the argument list (whatever the version calls the
       -- temporary schema in the name before it).
       substr(def, strpos(def, '(' || args || ')') + length('(' || args || ')')),
       d.description, p.oid
FROM pg_proc p
JOIN namespaces n ON n.oid = p.pronamespace
CROSS JOIN LATERAL (SELECT pg_get_function_arguments(p.oid) AS args, pg_get_functiondef(p.oid) AS def) a
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE p.prokind IN ('f', 'p', 'w')
  AND {not_member}
ORDER BY 1, 2, 4"
    )
}

/// Aggregates that are not an extension's (plain ones: ordered-set and
/// hypothetical-set aggregates are named as not managed), with their
/// options spelled as `CREATE AGGREGATE` takes them.
pub fn aggregates() -> String {
    let not_member = not_an_extension_member("pg_proc", "p.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, p.proname::text, pg_get_function_arguments(p.oid),
       concat_ws(', ',
           'SFUNC = ' || a.aggtransfn::regproc::text,
           'STYPE = ' || format_type(a.aggtranstype, NULL),
           CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
           CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::regproc::text END,
           CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
           CASE a.aggfinalmodify WHEN 's' THEN 'FINALFUNC_MODIFY = SHAREABLE' WHEN 'w' THEN 'FINALFUNC_MODIFY = READ_WRITE' END,
           CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::regproc::text END,
           CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::regproc::text END,
           CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::regproc::text END,
           CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || quote_literal(a.agginitval) END,
           CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::regproc::text END,
           CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::regproc::text END,
           CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
           CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
           CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::regproc::text END,
           CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
           CASE WHEN a.aggmtransfn <> 0 THEN CASE a.aggmfinalmodify WHEN 's' THEN 'MFINALFUNC_MODIFY = SHAREABLE'
                                                                  WHEN 'w' THEN 'MFINALFUNC_MODIFY = READ_WRITE' END END,
           CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || quote_literal(a.aggminitval) END,
           CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = ' || (SELECT o.oprname FROM pg_operator o WHERE o.oid = a.aggsortop) END,
           CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END),
       d.description, p.oid
FROM pg_proc p
JOIN pg_aggregate a ON a.aggfnoid = p.oid
JOIN namespaces n ON n.oid = p.pronamespace
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE p.prokind = 'a' AND a.aggkind = 'n'
  AND {not_member}
ORDER BY 1, 2, 3"
    )
}

/// Views and materialized views that are not an extension's, with their
/// options and comments, the query as `pg_get_viewdef` prints it.
pub fn views() -> String {
    let not_member = not_an_extension_member("pg_class", "c.oid");
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid),
       coalesce(c.reloptions, '{{}}'), d.description
FROM pg_class c
JOIN namespaces n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND {not_member}
ORDER BY 1, 2"
    )
}

/// Indexes of materialized views, as `pg_get_indexdef` prints them, with
/// where it names the view, and their comments.
pub fn view_indexes() -> String {
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, c.relname::text, ic.relname::text, i.indisunique, pg_get_indexdef(i.indexrelid),
       ' ON ' || CASE WHEN c.relnamespace = pg_my_temp_schema() THEN 'pg_temp' ELSE quote_ident(n.nspname) END
           || '.' || quote_ident(c.relname) || ' ', d.description
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid AND c.relkind = 'm'
JOIN namespaces n ON n.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
ORDER BY 1, 2, 3"
    )
}

/// Triggers of the tables trellisc manages (not those PostgreSQL makes for
/// foreign keys), as `pg_get_triggerdef` prints them, and their comments.
pub fn triggers() -> String {
    let not_member = not_an_extension_member("pg_class", "c.oid");
    format!(
        "WITH {},
relations AS (
    SELECT oid, nspname, relname FROM tables
    UNION ALL
    SELECT c.oid, n.nspname, c.relname
    FROM pg_class c JOIN namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm')
      AND {not_member}
)
SELECT t.nspname::text, t.relname::text, tg.tgname::text, pg_get_triggerdef(tg.oid),
       -- As pg_get_triggerdef names the table (the session's temporary
       -- schema as pg_temp).
       ' ON ' || CASE WHEN c.relnamespace = pg_my_temp_schema() THEN 'pg_temp' ELSE quote_ident(t.nspname) END
           || '.' || quote_ident(t.relname) || ' ', d.description,
       -- Before 15 the session's temporary schema is printed by its own name.
       ' ON ' || quote_ident(t.nspname) || '.' || quote_ident(t.relname) || ' '
FROM pg_trigger tg
JOIN relations t ON t.oid = tg.tgrelid
JOIN pg_class c ON c.oid = tg.tgrelid
LEFT JOIN pg_description d ON d.objoid = tg.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
-- Not one a partition has from its parent.
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
ORDER BY 1, 2, 3",
        tables_cte()
    )
}

/// Collations of the schemas read (not an extension's): provider, locale
/// (as each version keeps it), libc's two locales, determinism, ICU rules.
pub fn collations(major: u32) -> String {
    let not_member = not_an_extension_member("pg_collation", "c.oid");
    let locale = match major {
        ..=14 => "CASE WHEN c.collprovider = 'i' THEN c.collcollate END",
        15 | 16 => "c.colliculocale",
        _ => "c.colllocale",
    };
    let rules = if major >= 16 { "c.collicurules" } else { "NULL::text" };
    format!(
        "WITH {NAMESPACES}
SELECT n.nspname::text, c.collname::text, c.collprovider::text, {locale}::text,
       c.collcollate::text, c.collctype::text, c.collisdeterministic, {rules}::text, d.description
FROM pg_collation c
JOIN namespaces n ON n.oid = c.collnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_collation'::regclass AND d.objsubid = 0
WHERE {not_member}
ORDER BY 1, 2"
    )
}

/// Extended statistics of the tables trellisc manages, as
/// `pg_get_statisticsobjdef` prints them.
pub fn statistics() -> String {
    format!(
        "WITH {}
SELECT t.nspname::text, t.relname::text, s.stxname::text, pg_get_statisticsobjdef(s.oid)
FROM pg_statistic_ext s
JOIN tables t ON t.oid = s.stxrelid
ORDER BY 1, 2, 3",
        tables_cte()
    )
}

/// Row-level security policies of the tables trellisc manages: command,
/// kind, roles (sorted; `public` for everyone) and the expressions as
/// `pg_get_expr` prints them.
pub fn policies() -> String {
    format!(
        "WITH {}
SELECT t.nspname::text, t.relname::text, p.polname::text, p.polpermissive,
       CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                     WHEN 'd' THEN 'delete' ELSE 'all' END,
       CASE WHEN p.polroles = '{{0}}' THEN ARRAY['public']
            ELSE ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY (p.polroles) ORDER BY 1) END,
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), d.description
FROM pg_policy p
JOIN tables t ON t.oid = p.polrelid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
ORDER BY 1, 2, 3",
        tables_cte()
    )
}

/// What trellisc does not manage yet, by kind and name, so that a diff or
/// an import can say so instead of losing it silently: objects of other
/// kinds, and properties of managed tables, columns and indexes that the
/// language has no form for.
pub fn unmanaged() -> String {
    let tables = tables_cte();
    format!(
        "WITH {tables},
members AS (SELECT objid FROM pg_depend WHERE deptype = 'e')
SELECT kind, name FROM (
    SELECT 'foreign table' AS kind,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
    FROM pg_class c JOIN namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind = 'f'
      AND c.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'ordered-set aggregate',
           quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'
    FROM pg_proc p JOIN namespaces n ON n.oid = p.pronamespace JOIN pg_aggregate a ON a.aggfnoid = p.oid
    WHERE p.oid NOT IN (SELECT objid FROM members) AND p.prokind = 'a' AND a.aggkind <> 'n'
    UNION ALL
    -- Triggers of the tables trellisc manages are its own.
    SELECT 'trigger', quote_ident(tg.tgname) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN namespaces n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal AND tg.tgrelid NOT IN (SELECT oid FROM tables)
      AND c.relkind NOT IN ('v', 'm')
    UNION ALL
    -- Policies of the tables trellisc manages are its own.
    SELECT 'policy', quote_ident(po.polname) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_policy po JOIN pg_class c ON c.oid = po.polrelid JOIN namespaces n ON n.oid = c.relnamespace
    WHERE po.polrelid NOT IN (SELECT oid FROM tables)
    UNION ALL
    SELECT 'tablespace ' || quote_ident(ts.spcname) || ' of index', quote_ident(t.nspname) || '.' || quote_ident(ic.relname)
    FROM pg_index i JOIN tables t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_tablespace ts ON ts.oid = ic.reltablespace
    UNION ALL
    SELECT 'extended statistics', quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
    FROM pg_statistic_ext s JOIN namespaces n ON n.oid = s.stxnamespace
    WHERE s.stxrelid NOT IN (SELECT oid FROM tables)
    UNION ALL
    SELECT 'operator', quote_ident(n.nspname) || '.' || o.oprname || '(' || o.oprleft::regtype || ', ' || o.oprright::regtype || ')'
    FROM pg_operator o JOIN namespaces n ON n.oid = o.oprnamespace
    WHERE o.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'operator family', quote_ident(n.nspname) || '.' || quote_ident(f.opfname)
    FROM pg_opfamily f JOIN namespaces n ON n.oid = f.opfnamespace
    WHERE f.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'text search configuration', quote_ident(n.nspname) || '.' || quote_ident(c.cfgname)
    FROM pg_ts_config c JOIN namespaces n ON n.oid = c.cfgnamespace
    WHERE c.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'text search dictionary', quote_ident(n.nspname) || '.' || quote_ident(d.dictname)
    FROM pg_ts_dict d JOIN namespaces n ON n.oid = d.dictnamespace
    WHERE d.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'rule', quote_ident(r.rulename) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN namespaces n ON n.oid = c.relnamespace
    -- Not those of an extension's relations (PostGIS's views have rules).
    WHERE r.rulename <> '_RETURN' AND c.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'publication', quote_ident(p.pubname) FROM pg_publication p
    UNION ALL
    SELECT 'event trigger', quote_ident(e.evtname) FROM pg_event_trigger e
    WHERE e.oid NOT IN (SELECT objid FROM members)
    UNION ALL
    SELECT 'foreign server', quote_ident(fs.srvname) FROM pg_foreign_server fs
    WHERE fs.oid NOT IN (SELECT objid FROM members)
) u
ORDER BY 1, 2"
    )
}

/// What other objects depend on in the tables trellisc reads: views and
/// materialized views (through their rules), triggers, policies and
/// SQL-bodied routines, with the column they use (none: the table as a
/// whole). PostgreSQL refuses to drop or retype what they use. Each row
/// also says which view, trigger or routine it is (schema, name, and a
/// trigger's table), so that those a plan manages itself are told apart.
pub fn dependencies() -> String {
    format!(
        "WITH {NAMESPACES}
SELECT DISTINCT kind, name, nspname::text, relname::text, attname::text, is_type, holds,
       key_schema::text, key_name::text, key_table::text FROM (
    SELECT CASE d.classid
               WHEN 'pg_rewrite'::regclass
               THEN CASE vc.relkind WHEN 'm' THEN 'materialized view' WHEN 'v' THEN 'view' ELSE 'rule' END
               WHEN 'pg_trigger'::regclass THEN 'trigger'
               WHEN 'pg_policy'::regclass THEN 'policy'
               ELSE CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END END AS kind,
           CASE WHEN d.classid = 'pg_rewrite'::regclass AND vc.relkind NOT IN ('v', 'm')
                THEN quote_ident(r.rulename) || ' on ' || quote_ident(vn.nspname) || '.' || quote_ident(vc.relname)
               WHEN d.classid = 'pg_rewrite'::regclass THEN quote_ident(vn.nspname) || '.' || quote_ident(vc.relname)
               WHEN d.classid = 'pg_trigger'::regclass THEN quote_ident(tg.tgname) || ' on ' || tg.tgrelid::regclass::text
               WHEN d.classid = 'pg_policy'::regclass THEN quote_ident(po.polname) || ' on ' || po.polrelid::regclass::text
               ELSE d.objid::regprocedure::text END AS name,
           n.nspname, c.relname, a.attname, false AS is_type, false AS holds,
           -- A rule (on a table) is no view: no key, never managed.
           CASE d.classid WHEN 'pg_rewrite'::regclass THEN CASE WHEN vc.relkind IN ('v', 'm') THEN vn.nspname END
                          WHEN 'pg_trigger'::regclass THEN tn.nspname
                          WHEN 'pg_policy'::regclass THEN pon.nspname
                          WHEN 'pg_proc'::regclass THEN pn.nspname END AS key_schema,
           CASE d.classid WHEN 'pg_rewrite'::regclass THEN vc.relname WHEN 'pg_trigger'::regclass THEN tg.tgname
                          WHEN 'pg_policy'::regclass THEN po.polname
                          WHEN 'pg_proc'::regclass THEN p.proname END AS key_name,
           CASE d.classid WHEN 'pg_trigger'::regclass THEN tc.relname
                          WHEN 'pg_policy'::regclass THEN poc.relname END AS key_table
    FROM pg_depend d
    JOIN pg_class c ON d.refclassid = 'pg_class'::regclass AND c.oid = d.refobjid AND c.relkind IN ('r', 'p')
    JOIN namespaces n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = c.oid AND a.attnum = d.refobjsubid
    LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
    LEFT JOIN pg_class vc ON vc.oid = r.ev_class
    LEFT JOIN pg_namespace vn ON vn.oid = vc.relnamespace
    LEFT JOIN pg_trigger tg ON d.classid = 'pg_trigger'::regclass AND tg.oid = d.objid
    LEFT JOIN pg_class tc ON tc.oid = tg.tgrelid
    LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
    LEFT JOIN pg_policy po ON d.classid = 'pg_policy'::regclass AND po.oid = d.objid
    LEFT JOIN pg_class poc ON poc.oid = po.polrelid
    LEFT JOIN pg_namespace pon ON pon.oid = poc.relnamespace
    LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
    LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
    WHERE d.deptype = 'n'
      AND d.classid IN ('pg_rewrite'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_proc'::regclass)
      -- A view's rule reads its own relation, as a rule on a table does as a whole.
      AND (d.classid <> 'pg_rewrite'::regclass OR vc.oid <> c.oid OR (vc.relkind NOT IN ('v', 'm') AND d.refobjsubid > 0))
      AND (d.classid <> 'pg_trigger'::regclass OR NOT tg.tgisinternal)
    UNION ALL
    -- Routines (arguments, results) and views (columns) of an enum type.
    SELECT CASE d.classid WHEN 'pg_rewrite'::regclass
               THEN CASE vc.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END
               ELSE CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END END,
           CASE d.classid WHEN 'pg_rewrite'::regclass THEN quote_ident(vn.nspname) || '.' || quote_ident(vc.relname)
               ELSE d.objid::regprocedure::text END,
           n.nspname, t.typname, NULL, true, false,
           CASE d.classid WHEN 'pg_rewrite'::regclass THEN vn.nspname ELSE pn.nspname END,
           CASE d.classid WHEN 'pg_rewrite'::regclass THEN vc.relname ELSE p.proname END,
           NULL
    FROM pg_depend d
    JOIN pg_type t ON d.refclassid = 'pg_type'::regclass AND t.oid = d.refobjid AND t.typtype IN ('e', 'd')
    JOIN namespaces n ON n.oid = t.typnamespace
    LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
    LEFT JOIN pg_class vc ON vc.oid = r.ev_class
    LEFT JOIN pg_namespace vn ON vn.oid = vc.relnamespace
    LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
    LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
    WHERE d.deptype = 'n' AND d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass)
      AND (d.classid <> 'pg_rewrite'::regclass OR vc.relkind IN ('v', 'm'))
    UNION ALL
    -- Relations trellisc does not manage hold their names: a table, index
    -- or sequence of that name cannot be made.
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                          WHEN 'f' THEN 'foreign table' ELSE 'composite type' END,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname), n.nspname, c.relname, NULL, false, true,
           CASE WHEN c.relkind IN ('v', 'm') THEN n.nspname END, CASE WHEN c.relkind IN ('v', 'm') THEN c.relname END,
           NULL
    FROM pg_class c
    JOIN namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm', 'f', 'c')
) deps
ORDER BY 1, 2, 3, 4, 5"
    )
}

/// Every privilege held on the objects trellisc reads, by grantees other
/// than the object's owner (null: PUBLIC): a kind (`r` relation, `c`
/// column, `S` sequence, `f` routine by oid, `n` schema, `T` enum or
/// domain), the object's schema and name (a column's name, a routine's
/// oid as text), the grantee, the privilege and whether it may be passed
/// on. Routines, types and schemas that never had a grant hold what
/// PostgreSQL gives them by itself (`acldefault`).
pub fn privileges() -> String {
    let grantee =
        "CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable";
    let class_member = not_an_extension_member("pg_class", "c.oid");
    let proc_member = format!(
        "{} AND {}",
        not_an_extension_member("pg_proc", "p.oid"),
        not_internal("pg_proc", "p.oid")
    );
    let type_member = not_an_extension_member("pg_type", "t.oid");
    format!(
        "WITH {NAMESPACES}
SELECT CASE c.relkind WHEN 'S' THEN 'S' ELSE 'r' END, n.nspname::text, c.relname::text, NULL::text, {grantee}
FROM pg_class c JOIN namespaces n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) x
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relacl IS NOT NULL AND x.grantee <> c.relowner AND {class_member}
UNION ALL
SELECT 'c', n.nspname::text, c.relname::text, a.attname::text, {grantee}
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN namespaces n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(a.attacl) x
WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
  AND x.grantee <> c.relowner AND {class_member}
UNION ALL
SELECT 'f', n.nspname::text, p.proname::text, p.oid::text, {grantee}
FROM pg_proc p JOIN namespaces n ON n.oid = p.pronamespace
CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
WHERE x.grantee <> p.proowner AND {proc_member}
UNION ALL
SELECT 'n', n.nspname::text, NULL, NULL, {grantee}
FROM pg_namespace ns JOIN namespaces n ON n.oid = ns.oid
CROSS JOIN LATERAL aclexplode(coalesce(ns.nspacl, acldefault('n', ns.nspowner))) x
WHERE x.grantee <> ns.nspowner
UNION ALL
SELECT 'T', n.nspname::text, t.typname::text, NULL, {grantee}
FROM pg_type t JOIN namespaces n ON n.oid = t.typnamespace
CROSS JOIN LATERAL aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) x
WHERE t.typtype IN ('e', 'd', 'c', 'r') AND x.grantee <> t.typowner AND {type_member}
ORDER BY 1, 2, 3, 4, 5, 6"
    )
}

/// Default privileges: the role they are for (and whether it is the role
/// connected), the schema (null: everywhere), the kind of object (`r`,
/// `S`, `f`, `T`, `n`), then each entry's grantee (null: PUBLIC),
/// privilege and grant option, and whether the grantee is the role
/// itself. An entry for everywhere holds the whole list new objects get,
/// PostgreSQL's own grants included; one for a schema only what it adds.
pub fn default_privileges() -> String {
    format!(
        "WITH {NAMESPACES}
SELECT pg_get_userbyid(d.defaclrole)::text, d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user),
       ns.nspname::text, d.defaclobjtype::text,
       CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable,
       x.grantee = d.defaclrole
FROM pg_default_acl d LEFT JOIN pg_namespace ns ON ns.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) x
WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT oid FROM namespaces)
ORDER BY 1, 3, 4, 5, 6"
    )
}

/// The roles of the cluster, for refusing a grant to one it lacks.
pub fn roles() -> String {
    "SELECT rolname::text FROM pg_roles ORDER BY 1".into()
}
