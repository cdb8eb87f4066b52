import { runServiceMain } from '@agentledger/service-kit';
import { ingestionService } from './ingestion.service.js';

await runServiceMain(ingestionService);
