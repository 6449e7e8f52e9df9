import type { Subscription } from "./billing";
import type { Invoice } from "./invoice";
import type { CheckoutLine, CheckoutSession } from "./checkout";
import { formatAmount } from "./money";
import type { Customer, Price } from "./objects";

/**
 * The sandbox's stand-ins for Stripe's hosted pages (checkout.stripe.com, billing.stripe.com, the
 * hosted invoice): plain server-rendered forms, so a newcomer can click through billing offline.
 */

const esc = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}
.badge{display:inline-block;background:#ffde92;color:#5c3b00;border-radius:4px;padding:0 .4rem;font-size:.8rem}
table{width:100%;border-collapse:collapse}td{padding:.3rem 0}td.r{text-align:right}
label{display:block;margin:.6rem 0 .2rem}input,select{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.7rem;font:inherit;background:#635bff;color:#fff;border:0;border-radius:6px;cursor:pointer}
button.secondary{background:#e3e8ee;color:#1a1f36}.sub{border:1px solid #e3e8ee;border-radius:8px;padding:1rem;margin:1rem 0}
</style></head><body><p><span class="badge">Stripe sandbox</span></p>${body}</body></html>`;
}

const every = (p: Price) => (p.recurring ? ` / ${p.recurring.interval_count > 1 ? `${p.recurring.interval_count} ` : ""}${p.recurring.interval}` : "");

export function checkoutPage(s: CheckoutSession, lines: CheckoutLine[]): string {
  if (s.status !== "open") {
    return page("Checkout", `<h1>This checkout session is ${esc(s.status)}</h1>${s.status === "complete" && s.success_url ? `<p><a href="${esc(s.success_url.replaceAll("{CHECKOUT_SESSION_ID}", s.id))}">Continue</a></p>` : ""}`);
  }
  const rows = lines
    .map((l) => `<tr><td>${esc(l.productName)} × ${l.quantity}</td><td class="r">${esc(formatAmount((l.price.unit_amount ?? 0) * l.quantity, l.price.currency))}${esc(every(l.price))}</td></tr>`)
    .join("");
  const total = s.amount_total === null ? "" : `<tr><td><b>Due today</b></td><td class="r"><b>${esc(formatAmount(s.amount_total, s.currency ?? "usd"))}</b></td></tr>`;
  const action = s.mode === "subscription" ? "Subscribe" : s.mode === "setup" ? "Save card" : "Pay";
  return page(
    "Checkout",
    `<h1>${esc(action)}</h1><table>${rows}${total}</table>
<form method="post" action="/checkout/${esc(s.id)}/complete">
<label for="email">Email</label><input id="email" name="email" type="email" value="${esc(s.customer_email ?? "")}" ${s.customer ? "" : "required"}>
<label for="name">Name on card</label><input id="name" name="name" autocomplete="cc-name">
<label for="card">Card number</label><input id="card" name="card" value="4242 4242 4242 4242" readonly>
<button type="submit">${esc(action)}</button></form>
${s.cancel_url ? `<form method="get" action="${esc(s.cancel_url)}"><button class="secondary" type="submit">Cancel</button></form>` : ""}`,
  );
}

export function portalPage(sessionId: string, customer: Customer, subs: Subscription[], prices: Price[], productNames: Map<string, string>, returnUrl: string | null): string {
  const base = `/billing_portal/${esc(sessionId)}/subscriptions`;
  const cards = subs
    .map((sub) => {
      const item = sub.items.data[0];
      const current = item ? `${esc(productNames.get(item.price.product) ?? item.price.product)} — ${esc(formatAmount(item.price.unit_amount ?? 0, item.price.currency))}${esc(every(item.price))}` : "";
      const options = prices
        .filter((p) => item && p.id !== item.price.id && p.currency === item.price.currency && p.recurring?.interval === item.price.recurring?.interval)
        .map((p) => `<option value="${esc(p.id)}">${esc(productNames.get(p.product) ?? p.product)} — ${esc(formatAmount(p.unit_amount ?? 0, p.currency))}${esc(every(p))}</option>`)
        .join("");
      const ends = sub.cancel_at ? `<p>Cancels on ${esc(new Date(sub.cancel_at * 1000).toISOString().slice(0, 10))}</p>` : "";
      const period = item ? `<p>Current period ends ${esc(new Date(item.current_period_end * 1000).toISOString().slice(0, 10))}</p>` : "";
      return `<div class="sub"><h2>${current}</h2><p>Status: ${esc(sub.status)}</p>${period}${ends}
${options ? `<form method="post" action="${base}/${esc(sub.id)}/switch"><label for="p-${esc(sub.id)}">Change plan</label><select id="p-${esc(sub.id)}" name="price">${options}</select><button type="submit">Update plan</button></form>` : ""}
${sub.cancel_at_period_end ? `<form method="post" action="${base}/${esc(sub.id)}/keep"><button class="secondary" type="submit">Don't cancel</button></form>` : `<form method="post" action="${base}/${esc(sub.id)}/cancel"><button class="secondary" type="submit">Cancel plan</button></form>`}
</div>`;
    })
    .join("");
  return page(
    "Billing",
    `<h1>Billing</h1><p>${esc(customer.email ?? customer.name ?? customer.id)}</p>${cards || "<p>No active subscriptions.</p>"}
${returnUrl ? `<p><a href="${esc(returnUrl)}">← Return</a></p>` : ""}`,
  );
}

export function invoicePage(inv: Invoice): string {
  const lines = (inv.lines as { data: { description: string | null; amount: number }[] }).data
    .map((l) => `<tr><td>${esc(l.description)}</td><td class="r">${esc(formatAmount(l.amount, inv.currency))}</td></tr>`)
    .join("");
  return page(`Invoice ${inv.number}`, `<h1>Invoice ${esc(inv.number)}</h1><p>Status: ${esc(inv.status)}</p><table>${lines}<tr><td><b>Total</b></td><td class="r"><b>${esc(formatAmount(inv.total, inv.currency))}</b></td></tr></table>`);
}

export function messagePage(title: string, message: string, status = 200): Response {
  return new Response(page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`), { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

export const htmlResponse = (html: string, status = 200) => new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
