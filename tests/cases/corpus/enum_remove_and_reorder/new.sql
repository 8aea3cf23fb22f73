CREATE TYPE user_role AS ENUM ('guest', 'member', 'moderator', 'admin');

CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    role user_role NOT NULL DEFAULT 'member'::user_role
);
