import { useEffect, useState } from "preact/hooks";
import { BudgetCard, DeploymentsCard, Pitch, QuickLinks } from "../components/DashboardCards";
import { accountApi, messageOf } from "../lib/account-api";
import type { Me } from "../lib/api";
import { deploymentsApi, STATE_LABEL, type DeploymentListItem } from "../lib/deployments-api";
import { useSession } from "../lib/session";
import { formatMonth, formatTokens, formatUsd, usageApi, type Usage } from "../lib/usage-api";
import "../styles-home.css";

/**
 * /home: the signed-in dashboard (budget left this month, spend and savings, deployments at a glance,
 * quick links); signed out, a short pitch for the brand with where to start.
 */
export function Home({ brandName }: { brandName: string }) {
  const { session } = useSession();
  return (
    <section class="home-screen" aria-labelledby="home-title">
      {session.state === "loading" && <p class="muted">Checking who is signed in…</p>}
      {session.state === "unreachable" && (
        <p role="alert" class="refusal">
          {session.error}
        </p>
      )}
      {session.state === "signed-out" && (
        <>
          <h2 id="home-title" class="visually-hidden">
            {brandName}
          </h2>
          <Pitch brandName={brandName} />
        </>
      )}
      {session.state === "signed-in" && <Dashboard me={session.me} />}
    </section>
  );
}

function Dashboard({ me }: { me: Me }) {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [usageError, setUsageError] = useState<string | null>(null);
  const [deployments, setDeployments] = useState<DeploymentListItem[] | null>(null);
  const [deploymentsError, setDeploymentsError] = useState<string | null>(null);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  useEffect(() => {
    usageApi.get().then(setUsage, (e: unknown) => setUsageError(messageOf(e)));
    deploymentsApi.list().then(setDeployments, (e: unknown) => setDeploymentsError(messageOf(e)));
  }, []);

  const workspace = me.workspaces.find((w) => w.id === me.activeWorkspaceId);
  return (
    <>
      <header class="home-head">
        <div class="home-who">
          <h2 id="home-title">Hello, {me.user.name || me.user.email}</h2>
          <p class="muted" data-testid="home-who">
            {me.user.email}
            {workspace && !workspace.personal ? ` · ${workspace.name}` : ""}
          </p>
        </div>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void accountApi.signOut().then(
              () => location.assign("/signin"),
              (e: unknown) => setSignOutError(messageOf(e)),
            )
          }
        >
          Sign out
        </button>
      </header>
      {signOutError && (
        <p role="alert" class="refusal">
          {signOutError}
        </p>
      )}
      <div class="home-grid">
        <BudgetCard usage={usage} error={usageError} formatTokens={formatTokens} formatUsd={formatUsd} month={usage ? formatMonth(usage.period.start) : "This month"} />
        <DeploymentsCard deployments={deployments} error={deploymentsError} stateLabel={STATE_LABEL} />
      </div>
      <QuickLinks />
    </>
  );
}
