-- Add indexes with text_pattern_ops, varchar_pattern_ops and COLLATE "C" for prefix LIKE searches.
CREATE TABLE files (
    id serial PRIMARY KEY,
    path text NOT NULL,
    mime_type varchar(100) NOT NULL,
    owner text NOT NULL
);
