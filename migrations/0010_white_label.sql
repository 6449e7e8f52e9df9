CREATE TABLE `white_label` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`hostname` text NOT NULL,
	`base_brand` text NOT NULL,
	`name` text NOT NULL,
	`tagline` text,
	`theme_color` text NOT NULL,
	`background_color` text NOT NULL,
	`logo` text,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `white_label_hostname_idx` ON `white_label` (`hostname`);