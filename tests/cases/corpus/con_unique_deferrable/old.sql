-- Make the unique position of playlist items DEFERRABLE INITIALLY DEFERRED so items can be reordered in one transaction.
CREATE TABLE playlists (
    id serial PRIMARY KEY,
    title text NOT NULL
);

CREATE TABLE playlist_items (
    playlist_id integer NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    position integer NOT NULL,
    track_id integer NOT NULL,
    CONSTRAINT playlist_items_position_key UNIQUE (playlist_id, position)
);
