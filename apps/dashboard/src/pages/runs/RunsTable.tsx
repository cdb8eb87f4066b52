import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Loaded } from '../../components/States';
import { compareDecimal } from '../../decimal';
import { usePageWindow } from '../../page-window';
import { keepWindow, Link, navigate } from '../../router';
import { formatInstant } from '../../time-window';

const RUNS = `query Runs($from: DateTime!, $to: DateTime!, $filter: CostFilter, $after: String) {
  runs(from: $from, to: $to, filter: $filter, first: 50, after: $after) {
    nodes { traceId agentId startedAt status outcome success totalCost }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface RunRow {
  readonly traceId: string;
  readonly agentId: string;
  readonly startedAt: string;
  readonly status: string | null;
  readonly outcome: string | null;
  readonly success: boolean | null;
  readonly totalCost: string;
}

interface RunsAnswer {
  readonly runs: { readonly nodes: RunRow[]; readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean } };
}

export const runPath = (traceId: string) => `/runs/${encodeURIComponent(traceId)}`;

/** Runs started in the window, newest first, fifty a page. */
export function RunsTable({ filter }: { filter: Record<string, string> }) {
  const { window, zone } = usePageWindow();
  // Pages are counted from the newest run of this window and filter; a new window starts over.
  const pagingKey = JSON.stringify([window, filter]);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: pagingKey, cursors: [null] });
  const cursors = paging.key === pagingKey ? paging.cursors : [null];
  const setCursors = (next: (string | null)[]) => setPaging({ key: pagingKey, cursors: next });
  const after = cursors[cursors.length - 1];
  const result = useQuery<RunsAnswer>(RUNS, { ...window, filter, after });
  return (
    <Loaded result={result} what="runs" isEmpty={(data) => data.runs.nodes.length === 0 && cursors.length === 1}>
      {({ runs }) => (
        <>
          <DataTable
            caption={`Runs started in the window, newest first (page ${cursors.length}); Enter opens one`}
            testId="runs-table"
            rows={runs.nodes}
            rowKey={(run) => run.traceId}
            onOpen={(run) => navigate(keepWindow(runPath(run.traceId)))}
            columns={[
              { header: 'Run', cell: (run) => <Link to={runPath(run.traceId)}>{run.traceId}</Link> },
              { header: 'Agent', cell: (run) => <Link to={`/agents/${encodeURIComponent(run.agentId)}`}>{run.agentId}</Link> },
              { header: 'Started', cell: (run) => formatInstant(run.startedAt, zone) },
              { header: 'Status', cell: (run) => run.status ?? 'running' },
              { header: 'Outcome', cell: (run) => (run.outcome ? `${run.outcome}${run.success === false ? ' (failed)' : ''}` : 'none') },
              { header: 'Cost', numeric: true, cell: (run) => <Money value={run.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
            ]}
          />
          <div className="pager">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer runs
            </button>
            <button type="button" disabled={!runs.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, runs.pageInfo.endCursor])}>
              Older runs
            </button>
          </div>
        </>
      )}
    </Loaded>
  );
}
