-- Make one foreign key DEFERRABLE INITIALLY DEFERRED and switch another from INITIALLY DEFERRED to INITIALLY IMMEDIATE.
CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer NOT NULL,
    editor_id integer,
    title text NOT NULL
);

ALTER TABLE books ADD CONSTRAINT books_author_fk
    FOREIGN KEY (author_id) REFERENCES authors (id);
ALTER TABLE books ADD CONSTRAINT books_editor_fk
    FOREIGN KEY (editor_id) REFERENCES authors (id) DEFERRABLE INITIALLY DEFERRED;
