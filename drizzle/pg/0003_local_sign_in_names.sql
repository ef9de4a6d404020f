ALTER TABLE "accounts" ADD COLUMN "local_name" text;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_local_name" ON "accounts" USING btree ("local_name");