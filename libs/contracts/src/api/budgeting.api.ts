import { z } from 'zod';
import { defineQuery, returns } from './contract.js';

export interface BudgetView {
  id: string;
  limit: string;
  spent: string;
  remaining: string;
  status: string;
}

export const budgetsQuery = defineQuery({ service: 'budgeting', name: 'budgets', args: z.object({}), result: returns<BudgetView[]>() });
