/** "$29.00" for 2900 usd: used in invoice line descriptions and the hosted pages. */
export function formatAmount(amount: number, currency: string): string {
  const zeroDecimal = ["jpy", "krw", "vnd", "clp", "pyg", "isk", "ugx", "xaf", "xof"].includes(currency);
  const value = zeroDecimal ? amount : amount / 100;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(value);
  } catch {
    return `${value.toFixed(zeroDecimal ? 0 : 2)} ${currency.toUpperCase()}`;
  }
}
