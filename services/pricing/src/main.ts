import { runServiceMain } from '@agentledger/service-kit';
import { pricingService } from './pricing.service.js';

await runServiceMain(pricingService);
