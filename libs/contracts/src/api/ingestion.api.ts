import { z } from 'zod';
import { dateTimeString, windowArgs } from './args.js';
import { defineCommand, defineQuery, returns } from './contract.js';

export interface DeadLetterView {
  /** The dead letter's id (its sequence in the dead-letter stream): what a redrive names. */
  id: string;
  reason: string;
  subject: string;
  receivedAt: string;
  /** The service that rejected it. */
  service: string;
}

export const deadLettersQuery = defineQuery({ service: 'ingestion', name: 'deadLetters', args: z.object(windowArgs), result: returns<DeadLetterView[]>() });

/** At most this many dead letters per redrive: a larger backlog is redriven window by window. */
export const MAX_REDRIVE = 1_000;

/**
 * Which dead letters to redrive: by id, or by filter (a window of receipt, and optionally a
 * reason substring and an exact subject). One of the two is required, so no call redrives
 * everything by accident.
 */
export const redriveSelection = z
  .object({
    ids: z.array(z.string().regex(/^[1-9]\d{0,18}$/, { error: 'must be a dead letter id' })).min(1).max(MAX_REDRIVE).optional(),
    from: dateTimeString().optional(),
    to: dateTimeString().optional(),
    reason: z.string().min(1).max(512).optional(),
    subject: z.string().min(1).max(512).optional(),
  })
  .refine((selection) => selection.ids !== undefined || (selection.from !== undefined && selection.to !== undefined), {
    error: 'name ids, or a window (from and to)',
  });

export interface RedriveRejectionView {
  /** The dead letter that was rejected again. */
  id: string;
  reason: string;
}

/** What a redrive did with each dead letter it selected: every one lands in exactly one count. */
export interface RedriveReportView {
  selected: number;
  /** Counted now, for the first time. */
  redriven: number;
  /** Rejected again; each with its reason in `rejections`. */
  rejected: number;
  /** Valid, but its event (tenant, source, id) was already counted: nothing changed. */
  alreadyCounted: number;
  rejections: RedriveRejectionView[];
}

export const redriveDeadLettersCommand = defineCommand({ service: 'ingestion', name: 'redriveDeadLetters', args: redriveSelection, result: returns<RedriveReportView>() });
