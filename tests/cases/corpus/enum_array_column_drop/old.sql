-- Drop an enum-array column at the end of a table and drop the enum type it used.
CREATE TYPE weekday AS ENUM ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');

CREATE TABLE stores (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    open_days weekday[] NOT NULL DEFAULT ARRAY['mon','tue','wed','thu','fri']::weekday[]
);
