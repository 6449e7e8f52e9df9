import { formatDate, formatUsd, type BillingInvoice } from "../lib/billing-api";

/** The workspace's invoices, newest first as Stripe lists them, each linking to Stripe's hosted page. */
export function InvoiceList({ invoices }: { invoices: BillingInvoice[] }) {
  return (
    <section aria-labelledby="invoices-title">
      <h3 id="invoices-title">Invoices</h3>
      {invoices.length === 0 ? (
        <p class="muted" data-testid="no-invoices">
          No invoices yet.
        </p>
      ) : (
        <ul class="invoices" data-testid="invoices">
          {invoices.map((i) => {
            const name = i.number ?? i.id;
            return (
              <li key={i.id} data-testid="invoice">
                <div class="invoice-main">
                  <span class="invoice-number">{name}</span>
                  <span class="muted small">
                    {formatDate(i.created)}
                    {i.status && <> · {i.status}</>}
                  </span>
                </div>
                <span class="invoice-total" data-testid="invoice-total">
                  {formatUsd(i.totalUsd)}
                </span>
                {i.url ? (
                  <a class="invoice-link" href={i.url} target="_blank" rel="noopener noreferrer" aria-label={`View invoice ${name}`}>
                    View
                  </a>
                ) : (
                  <span class="invoice-link muted small">—</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
