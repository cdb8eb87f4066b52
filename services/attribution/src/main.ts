import { runServiceMain } from '@agentledger/service-kit';
import { attributionService } from './attribution.service.js';

await runServiceMain(attributionService);
