-- Add a self-referencing foreign key employees.manager_id -> employees.id with ON DELETE SET NULL.
CREATE TABLE employees (
    id integer PRIMARY KEY,
    full_name text NOT NULL,
    manager_id integer
);

CREATE INDEX employees_manager_id_idx ON employees (manager_id);
