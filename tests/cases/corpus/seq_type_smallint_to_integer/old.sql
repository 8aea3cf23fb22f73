-- Widen a sequence's data type from smallint to integer (ALTER SEQUENCE ... AS integer).
create sequence shelf_code_seq as smallint start with 100 increment by 1;

create table shelves (
    code smallint primary key,
    aisle text not null
);
