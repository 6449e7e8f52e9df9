import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { DeployObject } from "../../workers/deploy/deploy-object";
import type { DeploymentRecord } from "../../workers/deploy/machine";

/** Driving a DeployObject by its alarm, without sleeping (shared by the deploy tests). */
export type Stub = DurableObjectStub<DeployObject>;

export async function record(stub: Stub): Promise<DeploymentRecord> {
  return (await stub.get()) as unknown as DeploymentRecord;
}

/** Fires the alarm as if its time had come. Returns false when the deployment has nothing left to do. */
export async function fire(stub: Stub): Promise<boolean> {
  await runInDurableObject(stub, async (instance: DeployObject, state) => {
    const live = instance as unknown as { rec: DeploymentRecord };
    if (live.rec?.nextAt !== null && live.rec.nextAt > Date.now()) {
      live.rec = { ...live.rec, nextAt: Date.now() };
      await state.storage.put("record", live.rec);
      await state.storage.setAlarm(Date.now());
    }
  });
  return runDurableObjectAlarm(stub);
}

/** Fires until the record has no next step (or maxFires), and returns it. */
export async function settle(stub: Stub, maxFires = 200): Promise<DeploymentRecord> {
  for (let i = 0; i < maxFires; i++) {
    const r = await record(stub);
    if (r.nextAt === null) return r;
    await fire(stub);
  }
  return record(stub);
}
