-- n change numbers at once, for a batch: the first by registry.take_change_number (and its lock), the rest
-- straight from the sequence.
CREATE OR REPLACE FUNCTION registry.take_change_numbers(n integer)
 RETURNS SETOF bigint
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF n < 1 THEN
        RETURN;
    END IF;
    RETURN NEXT registry.take_change_number();
    RETURN QUERY SELECT nextval('registry.change_seq') FROM generate_series(2, n);
END $function$;
