CREATE SEQUENCE "public"."event_log_position" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "transfers" (
	"transfer_id" text PRIMARY KEY NOT NULL,
	"from_store" text NOT NULL,
	"to_store" text NOT NULL,
	"lines" jsonb NOT NULL,
	"receipt" text NOT NULL,
	"status" text NOT NULL,
	"failure_reason" text,
	"history" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "store_id" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "sku" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "log_position" bigint;--> statement-breakpoint
ALTER TABLE "stock_items" ADD COLUMN "in_transit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "transfers_open_idx" ON "transfers" USING btree ("updated_at") WHERE "transfers"."status" NOT IN ('COMPLETED', 'FAILED');--> statement-breakpoint
CREATE INDEX "outbox_item_idx" ON "outbox" USING btree ("sku","store_id","log_position");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_log_position_unique" UNIQUE("log_position");