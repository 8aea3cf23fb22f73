CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    author_id bigint NOT NULL,
    published_at timestamptz,
    score integer
);
CREATE INDEX posts_published_idx ON posts (published_at DESC);
CREATE INDEX posts_score_idx ON posts (score NULLS FIRST);
CREATE INDEX posts_author_published_idx ON posts (author_id ASC, published_at DESC NULLS LAST);
