-- An import's report rows go with a deleted import (statement-level, on the deleted rows; they have no foreign key).
CREATE OR REPLACE FUNCTION registry.forget_deleted_imports()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    DELETE FROM registry.import_records r USING deleted d WHERE r.import_id = d.id;
    RETURN NULL;
END $function$;
