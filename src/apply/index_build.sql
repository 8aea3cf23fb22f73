-- The progress of the index build that one backend runs ($1: its pid), as
-- PostgreSQL 12 and later report it; no row while it builds none. A plain
-- read of a statistics view: no lock, and the snapshot lasts one statement,
-- so a concurrent build never waits for it.
SELECT phase,
       blocks_done,
       blocks_total,
       tuples_done,
       tuples_total
FROM pg_stat_progress_create_index
WHERE pid = $1
