import { z } from 'zod';
import { defineQuery, returns } from './contract.js';

export interface AgentView {
  id: string;
  name: string | null;
  team: string | null;
  owner: string | null;
  platform: string | null;
  vendor: string | null;
  lifecycle: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

export const agentsQuery = defineQuery({ service: 'inventory', name: 'agents', args: z.object({}), result: returns<AgentView[]>() });
