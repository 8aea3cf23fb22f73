CREATE TABLE bookings (
    id bigserial PRIMARY KEY,
    room_id integer NOT NULL,
    during tstzrange NOT NULL,
    notes tsvector
);
CREATE INDEX bookings_during_gist ON bookings USING gist (during);
CREATE INDEX bookings_notes_gist ON bookings USING gist (notes);
