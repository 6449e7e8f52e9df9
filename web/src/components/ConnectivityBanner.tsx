/** Offline and update notices for the shell (presentational). */
export function OfflineBanner() {
  return (
    <p class="banner banner-offline" role="status" data-testid="shell-offline">
      You are offline. Still working: the app, the last data you saw, and your IDE configuration. Changes need a connection.
    </p>
  );
}

export function UpdateBanner({ onReload }: { onReload: () => void }) {
  return (
    <p class="banner banner-update" role="status" data-testid="update-banner">
      A new version is ready. <button type="button" onClick={onReload}>Reload</button>
    </p>
  );
}
