-- Make one column NOT NULL and relax NOT NULL on another.
CREATE TABLE employees (
    id integer PRIMARY KEY,
    email text,
    phone text NOT NULL,
    department text
);
