import { runServiceMain } from '@agentledger/service-kit';
import { gatewayService } from './gateway.service.js';

await runServiceMain(gatewayService);
