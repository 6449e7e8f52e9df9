CREATE TABLE `workspace_cost_policy` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`autoscale` text NOT NULL,
	`max_worker_usd_per_hour` real,
	`gpu_spend_ceiling_usd_per_month` real,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deployment_forecast` (
	`deployment_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`monthly_usd` real NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployment`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deployment_forecast_workspace_idx` ON `deployment_forecast` (`workspace_id`);
