// Input for `npm run db:auth-schema` (the better-auth CLI, package `auth`): the same plugins as the
// runtime, no database needed because the drizzle adapter and sqlite dialect are given on the command line.
// The base URL only silences the CLI's warning; it never reaches the schema.
import { betterAuth } from "better-auth";
import { authPlugins, baseAuthOptions } from "../auth/options";

export const auth = betterAuth({ ...baseAuthOptions, baseURL: "http://localhost:8787", plugins: authPlugins() });
