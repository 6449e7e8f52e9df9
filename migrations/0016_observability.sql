CREATE TABLE `request_metric` (
	`at` integer NOT NULL,
	`workspace_id` text,
	`brand` text,
	`method` text,
	`route` text,
	`provider` text,
	`model` text,
	`cache` text,
	`key_prefix` text,
	`request_id` text,
	`status` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`fallback_attempts` integer NOT NULL,
	`streamed` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_metric_at_idx` ON `request_metric` (`at`);--> statement-breakpoint
CREATE INDEX `request_metric_workspace_at_idx` ON `request_metric` (`workspace_id`,`at`);--> statement-breakpoint
CREATE TABLE `workspace_logging` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`log_prompts` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade
);
