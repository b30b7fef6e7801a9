CREATE TABLE "platform_heartbeats" (
	"at" timestamp with time zone PRIMARY KEY DEFAULT now() NOT NULL
);
