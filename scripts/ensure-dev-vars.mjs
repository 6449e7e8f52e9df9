// Creates .dev.vars on first start with freshly generated local secrets (AUTH_SECRET, ENCRYPTION_KEY), so a
// new clone runs without setup. Never overwrites an existing file; upstream keys are added by hand.
import { existsSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

if (!existsSync(".dev.vars")) {
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(
    ".dev.vars",
    [
      "# Local secrets (git-ignored), generated on first `npm start`.",
      "# Add OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, RUNPOD_API_KEY, HF_TOKEN, STRIPE_SECRET_KEY to use the real services;",
      "# without a key each upstream uses its local stand-in (see README, Configuration).",
      `AUTH_SECRET=${secret()}`,
      `ENCRYPTION_KEY=${secret()}`,
      "",
    ].join("\n"),
  );
  console.log("created .dev.vars with generated local secrets");
}
