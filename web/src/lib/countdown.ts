import { useEffect, useState } from "preact/hooks";

/** `mm:ss` for a duration in milliseconds (rounded up, so 00:00 shows only once it is over). */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

/** Milliseconds left until `deadline` (a local `Date.now()` time), re-rendering every second until it passes. */
export function useRemaining(deadline: number | null): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => {
      setTick((n) => n + 1);
      if (Date.now() >= deadline) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return deadline === null ? 0 : Math.max(0, deadline - Date.now());
}
