CREATE TABLE "server_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"avatar" text DEFAULT 'fox' NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"scram_salt" "bytea" NOT NULL,
	"scram_iterations" integer NOT NULL,
	"scram_stored_key" "bytea" NOT NULL,
	"scram_server_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
