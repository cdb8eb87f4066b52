import { BudgetBurn } from './overview/BudgetBurn';
import { LiveAlerts } from './overview/LiveAlerts';
import { OutcomeEconomicsTable } from './overview/OutcomeEconomicsTable';
import { SpendOverTime } from './overview/SpendOverTime';
import { SummaryCards } from './overview/SummaryCards';
import { TopGroups } from './overview/TopGroups';

export function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <SummaryCards />
      <SpendOverTime />
      <div className="columns">
        <TopGroups by="AGENT" title="Top agents" />
        <TopGroups by="TEAM" title="Top teams" />
        <TopGroups by="MODEL" title="Top models" />
      </div>
      <BudgetBurn />
      <OutcomeEconomicsTable />
      <LiveAlerts />
    </>
  );
}
