import type Stripe from "stripe";

/**
 * One Stripe customer per workspace (the workspace pays). Created on first need with an idempotency key
 * derived from the workspace, so two racing checkouts make one customer; the mapping lives in D1.
 */
export async function customerOf(db: D1Database, workspaceId: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT customer_id FROM billing_customer WHERE workspace_id = ?").bind(workspaceId).first<{ customer_id: string }>();
  return row?.customer_id;
}

export async function workspaceOfCustomer(db: D1Database, customerId: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT workspace_id FROM billing_customer WHERE customer_id = ?").bind(customerId).first<{ workspace_id: string }>();
  return row?.workspace_id;
}

export async function ensureCustomer(db: D1Database, stripe: Stripe, workspace: { id: string; name: string }, email: string): Promise<string> {
  const known = await customerOf(db, workspace.id);
  if (known) return known;
  const customer = await stripe.customers.create({ email, name: workspace.name, metadata: { workspace_id: workspace.id } }, { idempotencyKey: `customer-${workspace.id}` });
  await db.prepare("INSERT INTO billing_customer (workspace_id, customer_id, created_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING").bind(workspace.id, customer.id, Date.now()).run();
  return (await customerOf(db, workspace.id))!;
}
