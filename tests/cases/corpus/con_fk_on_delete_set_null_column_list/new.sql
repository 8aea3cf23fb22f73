CREATE TABLE tenants (
    id integer PRIMARY KEY
);

CREATE TABLE users (
    tenant_id integer NOT NULL REFERENCES tenants,
    id integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE posts (
    tenant_id integer NOT NULL REFERENCES tenants,
    id integer NOT NULL,
    author_id integer,
    body text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users ON DELETE SET NULL (author_id)
);
