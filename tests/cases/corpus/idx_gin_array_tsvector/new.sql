CREATE TABLE articles (
    id serial PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    tags text[] NOT NULL DEFAULT '{}',
    search tsvector
);
CREATE INDEX articles_tags_gin ON articles USING gin (tags);
CREATE INDEX articles_search_gin ON articles USING gin (search);
CREATE INDEX articles_title_fts ON articles USING gin (to_tsvector('english', title));
