import { runServiceMain } from '@agentledger/service-kit';
import { inventoryService } from './inventory.service.js';

await runServiceMain(inventoryService);
