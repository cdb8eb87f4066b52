import { useState } from 'react';
import { downloadFocusExport } from '../api/focus-export';
import { setParams, useRoute } from '../router';
import { useSession } from '../session';
import { RANGES, windowOf, zoneOf } from '../time-window';

const ZONES = ['UTC', Intl.DateTimeFormat().resolvedOptions().timeZone, 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo'];

/** The window every page reads (kept in the URL), the zone times are shown in, and the FOCUS export of the window. */
export function WindowBar() {
  const { params } = useRoute();
  const window = windowOf(params);
  const zone = zoneOf(params);
  const zones = [...new Set([zone, ...ZONES])];
  return (
    <form className="window-bar" aria-label="Time window" onSubmit={(event) => event.preventDefault()}>
      <label>
        Window{' '}
        <select value={window.range} onChange={(event) => setParams({ range: event.target.value === 'custom' ? undefined : event.target.value, from: undefined, to: undefined })}>
          {Object.keys(RANGES).map((range) => (
            <option key={range} value={range}>
              last {range}
            </option>
          ))}
          <option value="custom" disabled={window.range !== 'custom'}>
            custom
          </option>
        </select>
      </label>
      <label>
        From <input type="datetime-local" value={window.from.slice(0, 16)} onChange={(event) => event.target.value && setParams({ from: `${event.target.value}:00Z`, to: window.to })} />
      </label>
      <label>
        To <input type="datetime-local" value={window.to.slice(0, 16)} onChange={(event) => event.target.value && setParams({ from: window.from, to: `${event.target.value}:00Z` })} />
      </label>
      <span className="hint">(UTC, [from, to))</span>
      <label>
        Times in{' '}
        <select value={zone} onChange={(event) => setParams({ tz: event.target.value === 'UTC' ? undefined : event.target.value })}>
          {zones.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <ExportButton from={window.from} to={window.to} />
    </form>
  );
}

function ExportButton({ from, to }: { from: string; to: string }) {
  const { apiKey } = useSession();
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false });
  const download = async () => {
    setState({ busy: true, message: 'Preparing the FOCUS export…' });
    try {
      const fileName = await downloadFocusExport(apiKey, { from, to });
      setState({ busy: false, message: `Saved ${fileName}` });
    } catch (error) {
      setState({ busy: false, message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <span className="export">
      <button type="button" onClick={() => void download()} disabled={state.busy}>
        Download FOCUS export (CSV)
      </button>
      {state.message && (
        <span role="status" className="hint">
          {state.message}
        </span>
      )}
    </span>
  );
}
