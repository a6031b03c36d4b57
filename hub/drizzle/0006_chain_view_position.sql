CREATE TABLE "chain_view_position" (
	"name" text PRIMARY KEY NOT NULL,
	"log_position" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
