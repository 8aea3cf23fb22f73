-- Add GIN indexes on a text[] tags column and on a tsvector search column.
CREATE TABLE articles (
    id serial PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    tags text[] NOT NULL DEFAULT '{}',
    search tsvector
);
