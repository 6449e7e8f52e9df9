CREATE TABLE `hub_webhook_delivery` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`action` text NOT NULL,
	`scope` text NOT NULL,
	`repo` text NOT NULL,
	`head_sha` text,
	`hub_sha` text,
	`hub_modified_at` integer,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hub_webhook_delivery_repo_idx` ON `hub_webhook_delivery` (`repo`,`hub_sha`);--> statement-breakpoint
CREATE INDEX `hub_webhook_delivery_received_idx` ON `hub_webhook_delivery` (`received_at`);