-- Add two foreign keys forming a cycle (departments.head_id -> employees, employees.department_id -> departments).
CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL,
    head_id integer
);

CREATE TABLE employees (
    id integer PRIMARY KEY,
    name text NOT NULL,
    department_id integer
);
