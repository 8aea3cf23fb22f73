CREATE TABLE files (
    id serial PRIMARY KEY,
    path text NOT NULL,
    mime_type varchar(100) NOT NULL,
    owner text NOT NULL
);
CREATE INDEX files_path_pattern_idx ON files (path text_pattern_ops);
CREATE INDEX files_mime_pattern_idx ON files (mime_type varchar_pattern_ops);
CREATE INDEX files_owner_c_idx ON files (owner COLLATE "C");
