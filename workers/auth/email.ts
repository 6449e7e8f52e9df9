import { openDb } from "../db/client";
import type { Env } from "../env";
import { isLocalDev } from "./config";
import { emailOutbox } from "../db/schema";

export type EmailKind = "reset_password" | "invitation" | "verify_email" | "notification";

export interface OutgoingEmail {
  to: string;
  kind: EmailKind;
  subject: string;
  body: string;
  url?: string;
}

/**
 * "Sends" an email: appends it to the `email_outbox` table and prints it. There is no mail transport yet;
 * the outbox is both the local inbox (tests read reset links from it) and the queue a real sender will
 * drain. Writing before returning means a caller that got 200 can always find its mail.
 */
export async function sendEmail(env: Env, mail: OutgoingEmail): Promise<void> {
  await openDb(env.DB)
    .insert(emailOutbox)
    .values({ id: crypto.randomUUID(), toAddress: mail.to.toLowerCase(), kind: mail.kind, subject: mail.subject, body: mail.body, url: mail.url ?? null });
  // Links carry one-time tokens: print them only on a developer's machine, never into production logs.
  const link = mail.url && isLocalDev(env) ? ` url=${mail.url}` : "";
  console.log(`[email] to=${mail.to} kind=${mail.kind} subject=${JSON.stringify(mail.subject)}${link}`);
}
