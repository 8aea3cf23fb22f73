-- Restrict an exclusion constraint to non-cancelled rows with WHERE, and drop another exclusion constraint.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE reservations (
    id bigint PRIMARY KEY,
    table_no integer NOT NULL,
    seated tsrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT reservations_table_no_seated_excl EXCLUDE USING gist (table_no WITH =, seated WITH &&)
);

CREATE TABLE staff_shifts (
    id bigint PRIMARY KEY,
    staff_id integer NOT NULL,
    shift daterange NOT NULL,
    EXCLUDE USING gist (staff_id WITH =, shift WITH &&)
);
