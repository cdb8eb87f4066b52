import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '@agentledger/observability';
import { readApiKeyFile, ringOf } from './api-key-file.js';
import { ApiKeyListError, ApiKeyRing, type Caller, type KeyAuthenticator } from './api-keys.js';

const POLL_MS = 1_000;

/**
 * The keys the gateway accepts: those of `AGENTLEDGER_API_KEYS` plus the live ones of the key
 * file, reloaded when the file changes (polled, so a rename by the CLI is seen). A file that
 * fails to parse leaves the previous keys in force and is logged.
 */
export class ApiKeyStore implements KeyAuthenticator {
  private ring: ApiKeyRing;
  private fileRing = ApiKeyRing.EMPTY;

  private constructor(
    private readonly listed: ApiKeyRing,
    private readonly filePath: string | undefined,
    private readonly logger: Pick<Logger, 'info' | 'error'>,
  ) {
    this.ring = listed;
  }

  /** Loads the file once (a bad file stops start-up) and starts watching it. */
  static async open(listed: ApiKeyRing, filePath: string | undefined, logger: Pick<Logger, 'info' | 'error'>): Promise<ApiKeyStore> {
    const store = new ApiKeyStore(listed, filePath, logger);
    if (filePath) {
      await store.reload();
      watchFile(filePath, { interval: POLL_MS, persistent: false }, () => void store.reload().catch((error) => store.reportReloadFailure(error)));
    }
    return store;
  }

  get size(): number {
    return this.ring.size;
  }

  authenticate(presentedKey: string): Caller | undefined {
    return this.ring.authenticate(presentedKey);
  }

  async reload(): Promise<void> {
    if (!this.filePath) return;
    this.fileRing = ringOf(await readApiKeyFile(this.filePath));
    this.ring = ApiKeyRing.union(this.listed, this.fileRing);
    this.logger.info('api keys loaded', { file: this.filePath, fileKeys: this.fileRing.size, keys: this.ring.size });
  }

  stop(): void {
    if (this.filePath) unwatchFile(this.filePath);
  }

  private reportReloadFailure(error: unknown): void {
    const reason = error instanceof ApiKeyListError ? error.message : (error as Error).message;
    this.logger.error('api key file not reloaded; the previous keys stay in force', { file: this.filePath, reason });
  }
}
