import { useEffect, useState } from "preact/hooks";
import { BillingSummary } from "../components/BillingSummary";
import { InvoiceList } from "../components/InvoiceList";
import { PlanCards, type PlanAction } from "../components/PlanCards";
import { SessionGate } from "../components/SessionGate";
import { ApiError, type Me } from "../lib/api";
import { billingApi, planName, SUBSCRIBED_STATUSES, type BillingInfo, type BillingInterval, type PaidPlan } from "../lib/billing-api";
import { useSession } from "../lib/session";
import { inPlanOrder, pricingOrder, type Plan } from "../lib/variants";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);
/** How long the page waits for Stripe's webhook to move the plan after Checkout comes back. */
const CONFIRM_MS = 10_000;
const POLL_MS = 500;
const MANAGERS = ["owner", "admin"];

/** The `?checkout=` Stripe sent the person back with, read once. */
function checkoutOutcome(): "success" | "cancelled" | null {
  const v = new URLSearchParams(location.search).get("checkout");
  return v === "success" || v === "cancelled" ? v : null;
}

/** Drops ?checkout= from the address so a reload does not announce it again. */
function forgetOutcome() {
  const url = new URL(location.href);
  url.searchParams.delete("checkout");
  history.replaceState(null, "", url);
}

/** The subscription Checkout started is in force (the webhook has moved the plan). */
const subscribed = (b: BillingInfo) => b.subscription !== null && ["active", "trialing"].includes(b.subscription.status) && b.plan === b.subscription.plan;

/**
 * The workspace's plan and billing: what it is on and what comes next, invoices, the plans to upgrade to
 * (Stripe Checkout, a full-page trip) and the customer portal to change or cancel. Every member can read
 * it; owners and admins get the buttons.
 */
export function Billing({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="billing-title">
      <h2 id="billing-title">Billing</h2>
      <SessionGate session={session} reason={`Sign in to see your workspace's plan and invoices on ${brandName}.`} onSignIn={(e, p) => void signIn(e, p)}>
        {(me) => <BillingPanel me={me} />}
      </SessionGate>
    </section>
  );
}

type Confirm = "waiting" | "confirmed" | "slow" | null;

function BillingPanel({ me }: { me: Me }) {
  const [info, setInfo] = useState<BillingInfo | null>(null);
  const [order, setOrder] = useState<Plan[] | null>(null);
  const [interval, chooseInterval] = useState<BillingInterval | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<PaidPlan | "portal" | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [outcome] = useState(checkoutOutcome);
  const [confirm, setConfirm] = useState<Confirm>(outcome === "success" ? "waiting" : null);

  // The billing state and the visitor's plan order, together (so the cards never reorder on screen).
  useEffect(() => {
    let current = true;
    Promise.all([billingApi.get(), pricingOrder()]).then(
      ([b, o]) => {
        if (!current) return;
        setInfo(b);
        setOrder(o);
        chooseInterval((i) => i ?? (b.subscription?.interval === "year" ? "year" : "month"));
      },
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, []);

  // Back from Checkout: Stripe's webhook moves the plan within a second or so; poll until it has.
  useEffect(() => {
    if (outcome === "cancelled") forgetOutcome();
    if (outcome !== "success") return;
    let stopped = false;
    const end = Date.now() + CONFIRM_MS;
    void (async () => {
      while (!stopped) {
        try {
          const b = await billingApi.get();
          if (stopped) return;
          setInfo(b);
          if (subscribed(b)) {
            setConfirm("confirmed");
            chooseInterval(b.subscription?.interval === "year" ? "year" : "month");
            forgetOutcome();
            return;
          }
        } catch {
          // a blip: keep polling until the deadline
        }
        if (Date.now() >= end) {
          setConfirm("slow");
          return;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [outcome]);

  const workspace = info ? me.workspaces.find((w) => w.id === info.workspaceId) : undefined;
  // The role from /api/me; when it is not there the server's 403 decides.
  const canManage = !forbidden && (workspace ? MANAGERS.includes(workspace.role) : true);
  const sub = info?.subscription ?? null;
  const hasSubscription = sub !== null && SUBSCRIBED_STATUSES.includes(sub.status);
  const hasCustomer = sub !== null || (info?.invoices.length ?? 0) > 0;

  function refused(err: unknown) {
    if (err instanceof ApiError && err.status === 403) setForbidden(true);
    setError(messageOf(err));
    setBusy(null);
  }

  async function upgrade(plan: PaidPlan) {
    if (!interval) return;
    setBusy(plan);
    setError(null);
    try {
      const { url } = await billingApi.checkout(plan, interval);
      location.assign(url); // Stripe's hosted page; it comes back to /billing?checkout=…
    } catch (err) {
      refused(err);
      if (err instanceof ApiError && err.code === "already_subscribed") billingApi.get().then(setInfo, () => undefined);
    }
  }

  async function manage() {
    setBusy("portal");
    setError(null);
    try {
      const { url } = await billingApi.portal();
      location.assign(url);
    } catch (err) {
      refused(err);
    }
  }

  const actionFor = (plan: PaidPlan): PlanAction => {
    if (hasSubscription && sub?.plan === plan && info?.plan === plan) return { kind: "current" };
    if (!canManage) return { kind: "none" };
    return hasSubscription ? { kind: "portal" } : { kind: "upgrade" };
  };

  return (
    <>
      {outcome === "success" && confirm && (
        <p role="status" class={`banner ${confirm === "slow" ? "banner-warn" : "banner-ok"}`} data-testid="checkout-banner">
          {confirm === "waiting" && "Payment received. Waiting for Stripe to confirm your new plan…"}
          {confirm === "confirmed" && `You're on ${planName(info?.plan ?? "")} now. Thank you!`}
          {confirm === "slow" && "Stripe has not confirmed the new plan yet. It usually takes seconds: reload this page in a minute."}
        </p>
      )}
      {outcome === "cancelled" && (
        <p role="status" class="banner banner-warn" data-testid="checkout-banner">
          Checkout cancelled: nothing was charged.
        </p>
      )}
      {error && (
        <p role="alert" class="refusal" data-testid="billing-error">
          {error}
        </p>
      )}
      {!info && !error && (
        <p class="muted" aria-live="polite">
          Loading billing…
        </p>
      )}
      {info && (
        <>
          {workspace && <p class="muted small">Workspace: {workspace.name}</p>}
          <BillingSummary info={info} />
          {canManage && hasCustomer && (
            <button type="button" class="secondary block" data-testid="manage-billing" disabled={busy !== null} onClick={() => void manage()}>
              {busy === "portal" ? "Opening the billing portal…" : "Manage billing"}
            </button>
          )}
          {!canManage && (
            <p class="muted" data-testid="ask-admin">
              Only owners and admins of {workspace?.name ?? "this workspace"} can change its plan or billing: ask an admin.
            </p>
          )}
          {order && interval && (
            <PlanCards
              offers={inPlanOrder(info.offers, order)}
              interval={interval}
              onInterval={chooseInterval}
              actionFor={actionFor}
              busy={busy}
              onUpgrade={(p) => void upgrade(p)}
              onPortal={() => void manage()}
            />
          )}
          <InvoiceList invoices={info.invoices} />
        </>
      )}
    </>
  );
}
