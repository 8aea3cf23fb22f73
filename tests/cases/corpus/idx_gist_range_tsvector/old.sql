-- Add GiST indexes on a tstzrange booking period and a tsvector column.
CREATE TABLE bookings (
    id bigserial PRIMARY KEY,
    room_id integer NOT NULL,
    during tstzrange NOT NULL,
    notes tsvector
);
