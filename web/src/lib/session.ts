import { useCallback, useEffect, useState } from "preact/hooks";
import { api, ApiError, type Me } from "./api";

export type Session =
  | { state: "loading" }
  | { state: "signed-out"; error: string | null; busy: boolean }
  | { state: "signed-in"; me: Me }
  | { state: "unreachable"; error: string };

/**
 * Who is signed in, for screens that need a person: asks /api/me once, and signs in with email and
 * password when it says nobody is (the session cookie is set by the server; this only re-reads /api/me).
 */
export function useSession(): { session: Session; signIn: (email: string, password: string) => Promise<void> } {
  const [session, setSession] = useState<Session>({ state: "loading" });

  const load = useCallback(async () => {
    try {
      const me = await api.me();
      setSession(me ? { state: "signed-in", me } : { state: "signed-out", error: null, busy: false });
    } catch (err) {
      setSession({ state: "unreachable", error: err instanceof ApiError ? err.message : "Could not reach the platform; check your connection." });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      setSession({ state: "signed-out", error: null, busy: true });
      try {
        await api.signIn(email, password);
      } catch (err) {
        setSession({ state: "signed-out", busy: false, error: err instanceof ApiError ? err.message : "Could not reach the platform; check your connection." });
        return;
      }
      await load();
    },
    [load],
  );

  return { session, signIn };
}
