-- Change index ordering: DESC, NULLS FIRST/LAST and a mixed-direction composite index.
CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    author_id bigint NOT NULL,
    published_at timestamptz,
    score integer
);
CREATE INDEX posts_published_idx ON posts (published_at);
CREATE INDEX posts_score_idx ON posts (score);
CREATE INDEX posts_author_published_idx ON posts (author_id, published_at);
