import type { TimeWindow } from '../time-window';

/**
 * Downloads the FOCUS export of a window: fetched with the Authorization header (the key must
 * never sit in a URL), then saved from a blob.
 */
export async function downloadFocusExport(apiKey: string, window: TimeWindow, format: 'csv' | 'parquet' = 'csv'): Promise<string> {
  const query = new URLSearchParams({ from: window.from, to: window.to, format });
  const response = await fetch(`/v1/export/focus?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // a plain-text answer is its own message
    }
    throw new Error(`The export failed (HTTP ${response.status}): ${message}`);
  }
  const fileName = `agentledger-focus-${window.from.slice(0, 10)}-${window.to.slice(0, 10)}.${format}`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return fileName;
}
