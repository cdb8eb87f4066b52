-- The pre-call check in one round trip, and what keeps it cheap as a tenant grows: a budget's open
-- reservations are one running total, raised by budget_check (the only writer of reservations) and
-- lowered by a trigger on every delete (a release, a settlement, an expiry), and spend is also
-- kept per (scope, scope id, quarter hour), so a month of one scope is at most 2,976 rows whatever
-- the number of agents.
CREATE TABLE reservation_total (
  tenant    TEXT NOT NULL,
  budget_id TEXT NOT NULL,
  amount    NUMERIC NOT NULL,
  PRIMARY KEY (tenant, budget_id)
);
INSERT INTO reservation_total (tenant, budget_id, amount) SELECT tenant, budget_id, sum(amount) FROM reservation GROUP BY tenant, budget_id;

-- Totals rows are lowered one at a time in (tenant, budget id) order, so concurrent statements
-- touching several budgets queue instead of deadlocking.
CREATE FUNCTION reservation_total_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE change record;
BEGIN
  FOR change IN SELECT tenant, budget_id, sum(amount) AS amount FROM removed GROUP BY tenant, budget_id ORDER BY tenant, budget_id LOOP
    UPDATE reservation_total SET amount = amount - change.amount WHERE tenant = change.tenant AND budget_id = change.budget_id;
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER reservation_removed AFTER DELETE ON reservation REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION reservation_total_removed();

-- Spend per scope: TENANT ('' as its id), TEAM, AGENT, WORKFLOW, ENVIRONMENT, per quarter hour.
CREATE TABLE scope_spend_quarter_hour (
  tenant       TEXT NOT NULL,
  scope        TEXT NOT NULL,
  scope_id     TEXT NOT NULL,
  bucket_start TIMESTAMPTZ(3) NOT NULL,
  cost         NUMERIC NOT NULL,
  PRIMARY KEY (tenant, scope, scope_id, bucket_start)
);
INSERT INTO scope_spend_quarter_hour (tenant, scope, scope_id, bucket_start, cost)
SELECT tenant, scope, scope_id, bucket_start, sum(cost) FROM (
  SELECT tenant, 'TENANT' AS scope, '' AS scope_id, bucket_start, cost FROM spend_quarter_hour
  UNION ALL SELECT tenant, 'TEAM', team, bucket_start, cost FROM spend_quarter_hour
  UNION ALL SELECT tenant, 'AGENT', agent_id, bucket_start, cost FROM spend_quarter_hour
  UNION ALL SELECT tenant, 'WORKFLOW', workflow, bucket_start, cost FROM spend_quarter_hour
  UNION ALL SELECT tenant, 'ENVIRONMENT', environment, bucket_start, cost FROM spend_quarter_hour
) s GROUP BY tenant, scope, scope_id, bucket_start;

-- The caller (checks/check.ts) has chosen the matching budgets and computed their current periods
-- from its copy of the tenant's budgets; this locks those rows in id order (concurrent checks on
-- overlapping budgets queue instead of deadlocking, on every replica), confirms the copy is
-- current (no budget set or deleted since: the tenant's latest stream sequence is the one the
-- caller saw — otherwise it answers `stale` and the caller reloads), drops the budgets' expired
-- reservations, reads each budget's spend in its period and its reservations' total, and reserves
-- the estimate on all of them unless a matching scope is paused or a BLOCK budget would go over
-- (`spent >= limit` or `spent + reserved + estimate > limit`, part D). The locks last as long as
-- this function, not as long as a client round trip.
CREATE FUNCTION budget_check(
  p_tenant text, p_budget_ids text[], p_period_starts timestamptz[], p_period_ends timestamptz[], p_latest_sequence bigint,
  p_pause_scopes text[], p_pause_scope_ids text[], p_estimate numeric, p_reservation_id text, p_agent_id text, p_span_id text,
  p_now timestamptz, p_expires_at timestamptz
) RETURNS TABLE (
  row_kind text, budget_id text, spent numeric, reserved numeric,
  pause_scope text, pause_scope_id text, pause_reason text, pause_budget_id text, reserved_now boolean
) LANGUAGE plpgsql AS $$
DECLARE
  v_latest bigint;
  v_ids text[];
  v_spent numeric[];
  v_reserved numeric[];
  v_blocked boolean;
  v_paused boolean;
  v_reserve boolean;
BEGIN
  -- The budgets' row locks are released at commit. Waiting for the WAL flush there would make
  -- every check of a budget queue behind the disk's fsync (about 4 ms here); without it a crash
  -- of Postgres itself can lose the last fraction of a second of reservations — holds, not money:
  -- spend comes from the priced events, which are durable upstream.
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM 1 FROM budget b WHERE b.tenant = p_tenant AND b.budget_id = ANY (p_budget_ids) ORDER BY b.budget_id FOR UPDATE;
  SELECT max(b.stream_sequence) INTO v_latest FROM budget b WHERE b.tenant = p_tenant;
  IF coalesce(v_latest, 0) <> p_latest_sequence THEN
    RETURN QUERY SELECT 'stale'::text, NULL::text, NULL::numeric, NULL::numeric, NULL::text, NULL::text, NULL::text, NULL::text, false;
    RETURN;
  END IF;

  IF EXISTS (SELECT 1 FROM reservation r WHERE r.tenant = p_tenant AND r.budget_id = ANY (p_budget_ids) AND r.expires_at <= p_now) THEN
    DELETE FROM reservation r WHERE r.tenant = p_tenant AND r.budget_id = ANY (p_budget_ids) AND r.expires_at <= p_now;
  END IF;

  SELECT coalesce(array_agg(s.budget_id ORDER BY s.budget_id), '{}'), coalesce(array_agg(s.spent ORDER BY s.budget_id), '{}'),
         coalesce(array_agg(s.reserved ORDER BY s.budget_id), '{}'), coalesce(bool_or(s.blocks), false)
    INTO v_ids, v_spent, v_reserved, v_blocked
    FROM (
      SELECT b.budget_id, sp.spent, rs.reserved,
             b.enforcement = 'BLOCK' AND (sp.spent >= b."limit" OR sp.spent + rs.reserved + p_estimate > b."limit") AS blocks
        FROM unnest(p_budget_ids, p_period_starts, p_period_ends) AS w(budget_id, period_start, period_end)
        JOIN budget b ON b.tenant = p_tenant AND b.budget_id = w.budget_id AND NOT b.deleted
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(q.cost), 0) AS spent FROM scope_spend_quarter_hour q
           WHERE q.tenant = p_tenant AND q.scope = b.scope AND q.scope_id = coalesce(b.scope_id, '')
             AND q.bucket_start >= w.period_start AND q.bucket_start < w.period_end
        ) sp
        CROSS JOIN LATERAL (
          SELECT coalesce((SELECT t.amount FROM reservation_total t WHERE t.tenant = p_tenant AND t.budget_id = b.budget_id), 0) AS reserved
        ) rs
    ) s;

  SELECT EXISTS (
    SELECT 1 FROM pause p JOIN unnest(p_pause_scopes, p_pause_scope_ids) AS c(scope, scope_id) ON p.scope = c.scope AND p.scope_id = c.scope_id
     WHERE p.tenant = p_tenant
  ) INTO v_paused;

  v_reserve := NOT v_blocked AND NOT v_paused AND p_estimate > 0 AND cardinality(v_ids) > 0;
  IF v_reserve THEN
    INSERT INTO reservation (tenant, reservation_id, budget_id, agent_id, span_id, amount, expires_at)
    SELECT p_tenant, p_reservation_id, u.id, p_agent_id, p_span_id, p_estimate, p_expires_at FROM unnest(v_ids) AS u(id);
    -- Reservations are only ever made here, so their totals grow here, in the locked rows' order.
    INSERT INTO reservation_total AS t (tenant, budget_id, amount) SELECT p_tenant, u.id, p_estimate FROM unnest(v_ids) AS u(id) ORDER BY u.id
    ON CONFLICT ON CONSTRAINT reservation_total_pkey DO UPDATE SET amount = t.amount + EXCLUDED.amount;
  END IF;

  RETURN QUERY
    SELECT 'budget'::text, u.id, u.spent, u.reserved, NULL::text, NULL::text, NULL::text, NULL::text, v_reserve
      FROM unnest(v_ids, v_spent, v_reserved) AS u(id, spent, reserved)
    UNION ALL
    SELECT 'pause'::text, NULL::text, NULL::numeric, NULL::numeric, p.scope, p.scope_id, p.reason, p.budget_id, v_reserve
      FROM pause p JOIN unnest(p_pause_scopes, p_pause_scope_ids) AS c(scope, scope_id) ON p.scope = c.scope AND p.scope_id = c.scope_id
     WHERE p.tenant = p_tenant;
END
$$;
