ALTER TABLE "stock_items" ADD COLUMN "recount_required_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "stock_items_recount_required_idx" ON "stock_items" USING btree ("recount_required_since") WHERE "stock_items"."recount_required_since" IS NOT NULL;--> statement-breakpoint
-- A recount (or a reconciliation's count) of a flagged item clears its flag, whichever command path wrote it, unless
-- an offline sale changed the item again after that count (the item's version is then newer than the count's).
CREATE FUNCTION clear_recount_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stock_items SET recount_required_since = NULL
  WHERE store_id = NEW.store_id AND sku = NEW.sku AND recount_required_since IS NOT NULL
    AND version <= (NEW.event -> 'aggregate' ->> 'version')::int;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER outbox_recount_clears_flag AFTER INSERT ON outbox
  FOR EACH ROW WHEN (NEW.event ->> 'eventType' = 'StockRecounted') EXECUTE FUNCTION clear_recount_flag();
