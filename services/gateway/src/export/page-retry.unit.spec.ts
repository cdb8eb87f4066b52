import { GraphQLError } from 'graphql';
import { pageWithRetries } from './page-retry.js';

const busy = () => new GraphQLError('The attribution service is not available right now; try again shortly', { extensions: { code: 'SERVICE_UNAVAILABLE' } });

describe('a page of a streaming export', () => {
  it('is asked again after each wait while the service is busy, and the page that comes is the answer', async () => {
    const waits: number[] = [];
    let asked = 0;
    const page = await pageWithRetries(
      async () => {
        asked++;
        if (asked < 3) throw busy();
        return ['row'];
      },
      [250, 1_000, 3_000],
      async (ms) => void waits.push(ms),
    );
    expect(page).toEqual(['row']);
    expect(asked).toBe(3);
    expect(waits).toEqual([250, 1_000]);
  });

  it('gives up after the last wait with the last error', async () => {
    let asked = 0;
    const failing = pageWithRetries(
      async () => {
        asked++;
        throw busy();
      },
      [1, 1],
      async () => undefined,
    );
    await expect(failing).rejects.toThrow('not available right now');
    expect(asked).toBe(3);
  });

  it('does not ask again a question that is wrong in itself', async () => {
    let asked = 0;
    const wrong = pageWithRetries(
      async () => {
        asked++;
        throw new GraphQLError('to must be after from', { extensions: { code: 'BAD_USER_INPUT' } });
      },
      [1, 1],
      async () => undefined,
    );
    await expect(wrong).rejects.toThrow('to must be after from');
    expect(asked).toBe(1);
  });
});
