import { useEffect, useState } from "preact/hooks";
import { BridgeMapEditor } from "../components/BridgeMapEditor";
import { CostPolicyForm } from "../components/CostPolicyForm";
import { PromptLogging } from "../components/PromptLogging";
import { Notifications } from "../components/Notifications";
import { DangerZone } from "../components/DangerZone";
import { ProviderKeys } from "../components/ProviderKeys";
import { SessionGate } from "../components/SessionGate";
import { accountApi, messageOf } from "../lib/account-api";
import type { Me } from "../lib/api";
import { useSession } from "../lib/session";
import { settingsApi, type BridgeMap, type BridgeRule, type ByokProvider, type CostPolicy, type CostPolicyChange, type LoggingSettings, type ProviderKey, type Workspace } from "../lib/settings-api";
import "../styles-settings.css";

/**
 * /settings: the workspace's bridge map, its own provider keys, its cost policy and prompt logging (admins and
 * owners change them, others read), and the person's own data: export and account deletion.
 */
export function Settings({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  return (
    <section class="settings-screen" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <SessionGate session={session} reason={`Sign in to change your settings on ${brandName}.`} onSignIn={(e, p) => void signIn(e, p)}>
        {(me) => <SettingsPanel me={me} />}
      </SessionGate>
    </section>
  );
}

function SettingsPanel({ me }: { me: Me }) {
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [map, setMap] = useState<BridgeMap | null>(null);
  const [mapRound, setMapRound] = useState(0);
  const [keys, setKeys] = useState<ProviderKey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [bridgeBusy, setBridgeBusy] = useState(false);
  const [bridgeError, setBridgeError] = useState<string | null>(null);
  const [bridgeSaved, setBridgeSaved] = useState(false);
  const [keyBusy, setKeyBusy] = useState(false);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [policy, setPolicy] = useState<CostPolicy | null>(null);
  const [policyRound, setPolicyRound] = useState(0);
  const [policyBusy, setPolicyBusy] = useState(false);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [policySaved, setPolicySaved] = useState(false);
  const [logging, setLogging] = useState<LoggingSettings | null>(null);
  const [loggingBusy, setLoggingBusy] = useState(false);
  const [loggingError, setLoggingError] = useState<string | null>(null);

  useEffect(() => {
    const fail = (e: unknown) => setLoadError(messageOf(e));
    settingsApi.workspace().then(setWorkspace, fail);
    settingsApi.bridge().then(setMap, fail);
    settingsApi.providerKeys().then(setKeys, fail);
    settingsApi.costPolicy().then(setPolicy, fail);
    settingsApi.logging().then(setLogging, fail);
  }, []);

  const canEdit = Boolean(workspace?.permissions.bridge?.includes("update"));
  // The cost policy and prompt logging are billing and data-handling decisions: admins and owners.
  const canManage = Boolean(workspace?.permissions.billing?.includes("manage"));

  async function savePolicy(change: CostPolicyChange) {
    setPolicyBusy(true);
    setPolicyError(null);
    setPolicySaved(false);
    try {
      setPolicy(await settingsApi.saveCostPolicy(change));
      setPolicyRound((r) => r + 1);
      setPolicySaved(true);
    } catch (e) {
      setPolicyError(messageOf(e));
    } finally {
      setPolicyBusy(false);
    }
  }

  async function saveLogging(on: boolean) {
    const before = logging;
    // The switch moves at once (a tap should look taken); a refusal puts it back with the reason.
    if (before) setLogging({ ...before, logPrompts: on });
    setLoggingBusy(true);
    setLoggingError(null);
    try {
      setLogging(await settingsApi.saveLogging(on));
    } catch (e) {
      setLogging(before);
      setLoggingError(messageOf(e));
    } finally {
      setLoggingBusy(false);
    }
  }

  async function saveBridge(rules: BridgeRule[]) {
    setBridgeBusy(true);
    setBridgeError(null);
    setBridgeSaved(false);
    try {
      setMap(await settingsApi.saveBridge(rules));
      setMapRound((r) => r + 1);
      setBridgeSaved(true);
    } catch (e) {
      setBridgeError(messageOf(e));
    } finally {
      setBridgeBusy(false);
    }
  }

  async function keyCall(call: () => Promise<unknown>) {
    setKeyBusy(true);
    setKeyError(null);
    try {
      await call();
      setKeys(await settingsApi.providerKeys());
    } catch (e) {
      setKeyError(messageOf(e));
    } finally {
      setKeyBusy(false);
    }
  }

  async function exportData() {
    setExporting(true);
    setExportError(null);
    try {
      const { blob, filename } = await accountApi.export();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(messageOf(e));
    } finally {
      setExporting(false);
    }
  }

  async function deleteAccount(password: string) {
    setDeleting(true);
    setDeleteError(null);
    try {
      await accountApi.delete(password);
      location.assign("/signin?deleted=1");
    } catch (e) {
      setDeleteError(messageOf(e));
      setDeleting(false);
    }
  }

  return (
    <div class="settings-panel">
      {loadError && (
        <p role="alert" class="refusal" data-testid="settings-error">
          {loadError}
        </p>
      )}
      <article class="settings-card" aria-labelledby="bridge-title">
        <h3 id="bridge-title">Bridge map</h3>
        <p class="muted">Send a model name to the targets you choose{workspace ? ` for ${workspace.name}` : ""}.</p>
        {map && workspace ? (
          <BridgeMapEditor key={mapRound} rules={map.rules} editable={canEdit} busy={bridgeBusy} error={bridgeError} saved={bridgeSaved} onSave={(r) => void saveBridge(r)} />
        ) : (
          !loadError && <p class="muted">Loading…</p>
        )}
      </article>
      <article class="settings-card" aria-labelledby="byok-title">
        <h3 id="byok-title">Provider keys</h3>
        <p class="muted">Your own OpenAI, Anthropic, Google or RunPod key: the bridge calls that provider with it. Stored encrypted; never shown again.</p>
        {keys && workspace ? (
          <ProviderKeys
            keys={keys}
            editable={canEdit}
            busy={keyBusy}
            error={keyError}
            onSave={(provider: ByokProvider, apiKey, baseUrl) => void keyCall(() => settingsApi.saveProviderKey(provider, apiKey, baseUrl || undefined))}
            onRemove={(provider) => void keyCall(() => settingsApi.deleteProviderKey(provider))}
          />
        ) : (
          !loadError && <p class="muted">Loading…</p>
        )}
      </article>
      <article class="settings-card" aria-labelledby="cost-policy-title">
        <h3 id="cost-policy-title">Cost policy</h3>
        <p class="muted">Bounds for every deployment's predictive scaling and GPU pool moves.</p>
        {policy && workspace ? (
          <CostPolicyForm key={policyRound} policy={policy} editable={canManage} busy={policyBusy} error={policyError} saved={policySaved} onSave={(c) => void savePolicy(c)} />
        ) : (
          !loadError && <p class="muted">Loading…</p>
        )}
      </article>
      <article class="settings-card" aria-labelledby="logging-title">
        <h3 id="logging-title">Request logging</h3>
        {logging && workspace ? (
          <PromptLogging settings={logging} editable={canManage} busy={loggingBusy} error={loggingError} onChange={(on) => void saveLogging(on)} />
        ) : (
          !loadError && <p class="muted">Loading…</p>
        )}
      </article>
      <article class="settings-card" aria-labelledby="notifications-title">
        <h3 id="notifications-title">Notifications</h3>
        <p class="muted">Budget, deployment, key, payment and batch events, as signed webhooks or email.</p>
        {workspace ? (
          workspace.permissions.notification?.includes("manage") ? <Notifications /> : <p class="muted">Only workspace admins and owners manage notifications.</p>
        ) : (
          !loadError && <p class="muted">Loading…</p>
        )}
      </article>
      <article class="settings-card" aria-labelledby="account-title">
        <h3 id="account-title">Account</h3>
        <DangerZone
          email={me.user.email}
          exporting={exporting}
          exportError={exportError}
          onExport={() => void exportData()}
          deleting={deleting}
          deleteError={deleteError}
          onDelete={(p) => void deleteAccount(p)}
        />
      </article>
    </div>
  );
}
