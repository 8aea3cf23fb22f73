CREATE TABLE tags (
    id integer PRIMARY KEY,
    slug text COLLATE "C" NOT NULL,
    label varchar(100) COLLATE "POSIX",
    sort_key text
);
CREATE INDEX tags_label_idx ON tags (label);
