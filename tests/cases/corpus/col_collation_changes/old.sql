-- Give a column COLLATE "C", switch another from "C" to "POSIX", and drop a collation.
CREATE TABLE tags (
    id integer PRIMARY KEY,
    slug text NOT NULL,
    label varchar(100) COLLATE "C",
    sort_key text COLLATE "C"
);
CREATE INDEX tags_label_idx ON tags (label);
