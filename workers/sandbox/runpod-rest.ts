import { Hono } from "hono";
import type { SandboxAppEnv } from "./env";

// PLACEHOLDER: being written; replaced before commit.
export const runpodRestRoutes = new Hono<SandboxAppEnv>();
