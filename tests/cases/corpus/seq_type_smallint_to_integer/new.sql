create sequence shelf_code_seq as integer start with 100 increment by 1;

create table shelves (
    code smallint primary key,
    aisle text not null
);
