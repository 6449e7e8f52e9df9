import { Hono } from "hono";
import type { SandboxAppEnv } from "./env";

// PLACEHOLDER: being written; replaced before commit.
export const stripeRoutes = new Hono<SandboxAppEnv>();
