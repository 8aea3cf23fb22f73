-- Add an index on a table that an unmanaged materialized view (with its own index) reads from.
CREATE TABLE page_views (
    id bigserial PRIMARY KEY,
    path text NOT NULL,
    viewed_at timestamptz NOT NULL DEFAULT now()
);

CREATE MATERIALIZED VIEW daily_page_views AS
    SELECT path, date_trunc('day', viewed_at) AS day, count(*) AS views
    FROM page_views
    GROUP BY path, date_trunc('day', viewed_at)
WITH NO DATA;

CREATE UNIQUE INDEX daily_page_views_path_day ON daily_page_views (path, day);
