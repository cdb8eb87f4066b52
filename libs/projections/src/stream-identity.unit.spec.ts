import { compareStream, describeMismatch } from './stream-identity.js';

const found = { stream: 'FINOPS_PRICES', created: '2026-12-07T00:00:00.000000001Z', lastSequence: 40 };

describe('compareStream: is the stream the one the read model was built from?', () => {
  it('nothing recorded yet, or the same stream at or beyond the checkpoint: yes', () => {
    expect(compareStream(undefined, found)).toBeUndefined();
    expect(compareStream({ created: found.created, lastSequence: 40 }, found)).toBeUndefined();
    expect(compareStream({ created: found.created, lastSequence: 12 }, found)).toBeUndefined();
  });

  it('another creation time: recreated (a store lost, moved, another nats-server)', () => {
    const recorded = { created: '2026-11-01T08:00:00.5Z', lastSequence: 3 };
    const mismatch = compareStream(recorded, found);
    expect(mismatch).toEqual({ kind: 'recreated', recorded, found });
    expect(describeMismatch('pricing-catalog', mismatch!)).toBe(
      'stream FINOPS_PRICES was created at 2026-12-07T00:00:00.000000001Z, but this read model was built from a stream created at 2026-11-01T08:00:00.5Z: ' +
        'its sequences are not the ones recorded in projection pricing-catalog. Refusing to apply it (events would be confused with others). ' +
        "Point the service at the NATS store it was built from, or run the service's rebuild command to rebuild the read model from this stream.",
    );
  });

  it('same creation time but ending below the applied checkpoint: went backwards (restored from an older copy)', () => {
    const recorded = { created: found.created, lastSequence: 41 };
    expect(compareStream(recorded, found)).toEqual({ kind: 'went-backwards', recorded, found });
  });
});
