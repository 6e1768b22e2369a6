CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_lo" integer,
	"user_hi" integer,
	"group_id" integer,
	"last_seq" bigint NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversations_kind_parts" CHECK (("conversations"."kind" = 'direct' and "conversations"."user_lo" is not null and "conversations"."user_hi" is not null and "conversations"."user_lo" < "conversations"."user_hi" and "conversations"."group_id" is null) or ("conversations"."kind" = 'group' and "conversations"."group_id" is not null and "conversations"."user_lo" is null and "conversations"."user_hi" is null))
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"conv" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sender_id" integer,
	"client_id" text,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "messages_conv_seq_pk" PRIMARY KEY("conv","seq")
);
--> statement-breakpoint
CREATE TABLE "read_positions" (
	"user_id" integer NOT NULL,
	"conv" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "read_positions_user_id_conv_pk" PRIMARY KEY("user_id","conv")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_user_lo_users_id_fk" FOREIGN KEY ("user_lo") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_user_hi_users_id_fk" FOREIGN KEY ("user_hi") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conv_conversations_id_fk" FOREIGN KEY ("conv") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "read_positions" ADD CONSTRAINT "read_positions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "read_positions" ADD CONSTRAINT "read_positions_conv_conversations_id_fk" FOREIGN KEY ("conv") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_user_lo_idx" ON "conversations" USING btree ("user_lo");--> statement-breakpoint
CREATE INDEX "conversations_user_hi_idx" ON "conversations" USING btree ("user_hi");--> statement-breakpoint
CREATE INDEX "conversations_group_idx" ON "conversations" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_id_idx" ON "messages" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_sender_client_idx" ON "messages" USING btree ("sender_id","client_id");--> statement-breakpoint
CREATE INDEX "messages_at_idx" ON "messages" USING btree ("at");--> statement-breakpoint
CREATE INDEX "read_positions_conv_idx" ON "read_positions" USING btree ("conv");