CREATE TABLE dead_letter (
  dlq_sequence    BIGINT PRIMARY KEY,
  tenant          TEXT NOT NULL,
  service         TEXT NOT NULL,
  reason          TEXT NOT NULL,
  subject         TEXT NOT NULL,
  stream          TEXT NOT NULL,
  stream_sequence BIGINT NOT NULL,
  delivery_count  INTEGER NOT NULL,
  received_at     TIMESTAMPTZ(3) NOT NULL,
  headers         JSONB NOT NULL,
  original        BYTEA NOT NULL
);
CREATE INDEX dead_letter_tenant_received_at_idx ON dead_letter (tenant, received_at);
