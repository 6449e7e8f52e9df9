// Input for `npm run db:auth-schema` (the better-auth CLI, package `auth`): the same plugins as the
// runtime, no database needed because the drizzle adapter and sqlite dialect are given on the command line.
import { betterAuth } from "better-auth";
import { authPlugins, baseAuthOptions } from "../auth/options";

export const auth = betterAuth({ ...baseAuthOptions, plugins: authPlugins() });
