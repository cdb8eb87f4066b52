const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([1-9][0-9]{0,5})(m|h|d)$/;

/** How long after its last activity an agent turns IDLE: a whole number of minutes, hours or days (`90m`, `36h`, `7d`); undefined when malformed. */
export function parseIdleAfter(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
