import { sandboxState, type SandboxEnv } from "../env";
import type { SandboxSettings } from "../state";
import type { Wake } from "./scaling";

/** The slice of the SandboxState Durable Object the RunPod stand-ins use, typed (RPC stubs drop generics). */
export interface DocStore {
  nextSeq(ns: string): Promise<number>;
  getDoc<T>(ns: string, id: string): Promise<T | undefined>;
  putDoc<T>(ns: string, id: string, value: T): Promise<T>;
  mergeDoc<T extends object>(ns: string, id: string, fields: Partial<T>): Promise<T | undefined>;
  deleteDoc(ns: string, id: string): Promise<boolean>;
  listDocs<T>(ns: string, limit?: number): Promise<T[]>;
  getSettings(): Promise<SandboxSettings>;
  wakeRunpodEndpoint(id: string, busyMs: number): Promise<Wake | undefined>;
}

export const docStore = (env: SandboxEnv) => sandboxState(env) as unknown as DocStore;
