ALTER TABLE `accounts` ADD `local_name` text;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_local_name` ON `accounts` (`local_name`);