/**
 * Device-pairing user codes: eight letters and digits, shown as XXXX-XXXX in the terminal and typed or
 * scanned here. The server accepts either form; the canonical one has no dash and is upper case.
 */
export function normalizeUserCode(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** `ABCD-EFGH` for display (and as the user types: `ABC` → `ABC`, `ABCDE` → `ABCD-E`). */
export function formatUserCode(raw: string): string {
  const code = normalizeUserCode(raw).slice(0, 8);
  return code.length > 4 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

export const isCompleteUserCode = (raw: string) => normalizeUserCode(raw).length === 8;
