// The key ring is service-kit's, shared with ingestion's HTTP intake: one parser, one rule for
// what production refuses.
export {
  ApiKeyRing,
  ApiKeyListError,
  authenticate,
  sha256,
  type Authentication,
  type Caller,
  type HashedKey,
  type KeyAuthenticator,
  type Role,
} from '@agentledger/service-kit';
