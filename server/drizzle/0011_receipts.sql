-- #15 receipts (R-RCP-*): the positions a user lets the others of a conversation see.
CREATE TABLE "receipts" (
	"user_id" integer NOT NULL,
	"conv" text NOT NULL,
	"delivered_seq" bigint NOT NULL,
	"read_seq" bigint NOT NULL,
	CONSTRAINT "receipts_conv_user_id_pk" PRIMARY KEY("conv","user_id")
);
--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_conv_conversations_id_fk" FOREIGN KEY ("conv") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receipts_user_idx" ON "receipts" USING btree ("user_id");
