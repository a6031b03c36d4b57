CREATE TABLE "dead_letter_replays" (
	"topic" text NOT NULL,
	"message_id" text NOT NULL,
	"replayed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_by" text NOT NULL,
	CONSTRAINT "dead_letter_replays_topic_message_id_pk" PRIMARY KEY("topic","message_id")
);
