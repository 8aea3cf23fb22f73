CREATE TABLE users (
    id integer PRIMARY KEY,
    login text NOT NULL
);

CREATE TABLE roles (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE user_roles (
    user_id integer REFERENCES users (id),
    role_id integer REFERENCES roles (id),
    granted_at timestamptz DEFAULT now(),
    PRIMARY KEY (user_id, role_id)
);
