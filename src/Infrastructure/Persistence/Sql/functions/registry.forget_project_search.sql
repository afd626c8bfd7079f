-- A project tombstoned leaves the tables of live projects in the same statement, whichever write did it.
CREATE OR REPLACE FUNCTION registry.forget_project_search()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    DELETE FROM registry.project_search WHERE id = NEW.id;
    DELETE FROM registry.project_documents WHERE id = NEW.id;
    RETURN NULL;
END $function$;
