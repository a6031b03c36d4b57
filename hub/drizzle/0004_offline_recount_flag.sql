ALTER TABLE "stock_items" ADD COLUMN "recount_required_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "stock_items_recount_required_idx" ON "stock_items" USING btree ("recount_required_since") WHERE "stock_items"."recount_required_since" IS NOT NULL;--> statement-breakpoint
-- A recount (or a reconciliation's count) of a flagged item clears its flag, whichever command path wrote it, unless
-- an offline sale changed the item again after that count (the item's version is then newer than the count's).
-- Once per statement, not per row: almost always no item is flagged, and one probe of the (empty) partial index ends
-- it, so neither a command batch nor a 5,000-line reconciliation pays more than that.
CREATE FUNCTION clear_recount_flags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM stock_items WHERE recount_required_since IS NOT NULL LIMIT 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  UPDATE stock_items s SET recount_required_since = NULL
  FROM appended a
  WHERE s.recount_required_since IS NOT NULL AND a.event ->> 'eventType' = 'StockRecounted'
    AND s.store_id = a.store_id AND s.sku = a.sku AND s.version <= (a.event -> 'aggregate' ->> 'version')::int;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER outbox_recounts_clear_flags AFTER INSERT ON outbox REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION clear_recount_flags();
