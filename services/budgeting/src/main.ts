import { runServiceMain } from '@agentledger/service-kit';
import { budgetingService } from './budgeting.service.js';

await runServiceMain(budgetingService);
