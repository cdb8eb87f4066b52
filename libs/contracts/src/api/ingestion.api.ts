import { z } from 'zod';
import { windowArgs } from './args.js';
import { defineQuery, returns } from './contract.js';

export interface DeadLetterView {
  reason: string;
  subject: string;
  receivedAt: string;
  /** The service that rejected it. */
  service: string;
}

export const deadLettersQuery = defineQuery({ service: 'ingestion', name: 'deadLetters', args: z.object(windowArgs), result: returns<DeadLetterView[]>() });
