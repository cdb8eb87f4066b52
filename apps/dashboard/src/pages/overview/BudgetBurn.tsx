import { useQuery } from '../../api/use-query';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { Link } from '../../router';
import { BUDGETS, BudgetTable, type BudgetView } from '../budgets/BudgetTable';

/** Every budget in its current period: how much is burnt, the forecast at period end, when it would break. */
export function BudgetBurn() {
  const { zone } = usePageWindow();
  const result = useQuery<{ budgets: BudgetView[] }>(BUDGETS);
  return (
    <Section title="Budgets" question="Which budgets will we break this period, and when?" testId="overview-budgets">
      <Loaded result={result} what="budgets" isEmpty={(data) => data.budgets.length === 0} empty={<>No budgets yet. Admins set them on <Link to="/budgets">Budgets and control</Link>.</>}>
        {(data) => <BudgetTable budgets={data.budgets} zone={zone} />}
      </Loaded>
    </Section>
  );
}
