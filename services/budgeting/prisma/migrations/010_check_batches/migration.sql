-- Pre-call checks in batches: the checks of a tenant that arrive while its previous call is in
-- flight go to the database together, so a budget's rows are locked once per batch rather than
-- once per check. The rule is budget_check's (009), applied to the checks one after another in
-- the order given, each seeing what the ones before it reserved: concurrent checks, on any
-- number of replicas, still never together reserve more than a BLOCK budget has left.
DROP FUNCTION budget_check(text, text[], timestamptz[], timestamptz[], bigint, text[], text[], numeric, text, text, text, timestamptz, timestamptz);

-- The caller (checks/check.ts) sends:
--   the union of the batch's matching budgets (p_budget_ids, sorted) with their current periods;
--   per check i: its reservation id, agent, span, estimate, expiry, team, workflow, environment,
--   and its matching budgets as positions into p_budget_ids: p_match_positions[p_match_offsets[i]
--   .. p_match_offsets[i + 1] - 1] (p_match_offsets has one more entry than there are checks).
-- It answers, per check, one `budget` row per matching budget (spend, and the reservations held
-- before this check — its own not included) and one `pause` row per paused scope of the check,
-- with `reserved_now` telling whether the check's estimate was reserved; or a single `stale` row
-- when the caller's copy of the tenant's budgets is out of date (nothing is reserved then).
CREATE FUNCTION budget_check_batch(
  p_tenant text, p_latest_sequence bigint, p_now timestamptz,
  p_budget_ids text[], p_period_starts timestamptz[], p_period_ends timestamptz[],
  p_reservation_ids text[], p_agent_ids text[], p_span_ids text[], p_estimates numeric[], p_expires_at timestamptz[],
  p_teams text[], p_workflows text[], p_environments text[],
  p_match_offsets int[], p_match_positions int[]
) RETURNS TABLE (
  check_index int, row_kind text, budget_id text, spent numeric, reserved numeric,
  pause_scope text, pause_scope_id text, pause_reason text, pause_budget_id text, reserved_now boolean
) LANGUAGE plpgsql AS $$
DECLARE
  v_latest bigint;
  v_count int := cardinality(p_budget_ids);
  v_limits numeric[];
  v_blocks boolean[];
  v_spent numeric[];
  v_reserved numeric[];
  v_added numeric[];
  v_pause_scopes text[];
  v_pause_ids text[];
  v_pause_reasons text[];
  v_pause_budgets text[];
  v_found int;
  v_blocked boolean;
  v_paused boolean;
  v_reserve boolean;
  v_scope_id text;
  v_r_ids text[] := '{}';
  v_r_budgets text[] := '{}';
  v_r_agents text[] := '{}';
  v_r_spans text[] := '{}';
  v_r_amounts numeric[] := '{}';
  v_r_expiry timestamptz[] := '{}';
  i int;
  j int;
  k int;
  p int;
BEGIN
  -- As in budget_check: locks are released at commit, which need not wait for the WAL flush —
  -- reservations are holds, spend is durable upstream.
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM 1 FROM budget b WHERE b.tenant = p_tenant AND b.budget_id = ANY (p_budget_ids) ORDER BY b.budget_id FOR UPDATE;
  SELECT max(b.stream_sequence) INTO v_latest FROM budget b WHERE b.tenant = p_tenant;
  IF coalesce(v_latest, 0) <> p_latest_sequence THEN
    RETURN QUERY SELECT 0, 'stale'::text, NULL::text, NULL::numeric, NULL::numeric, NULL::text, NULL::text, NULL::text, NULL::text, false;
    RETURN;
  END IF;

  IF v_count > 0 AND EXISTS (SELECT 1 FROM reservation r WHERE r.tenant = p_tenant AND r.budget_id = ANY (p_budget_ids) AND r.expires_at <= p_now) THEN
    DELETE FROM reservation r WHERE r.tenant = p_tenant AND r.budget_id = ANY (p_budget_ids) AND r.expires_at <= p_now;
  END IF;

  SELECT count(*), coalesce(array_agg(b."limit" ORDER BY w.ord), '{}'), coalesce(array_agg(b.enforcement = 'BLOCK' ORDER BY w.ord), '{}'),
         coalesce(array_agg(sp.spent ORDER BY w.ord), '{}'), coalesce(array_agg(rs.reserved ORDER BY w.ord), '{}')
    INTO v_found, v_limits, v_blocks, v_spent, v_reserved
    FROM unnest(p_budget_ids, p_period_starts, p_period_ends) WITH ORDINALITY AS w(budget_id, period_start, period_end, ord)
    JOIN budget b ON b.tenant = p_tenant AND b.budget_id = w.budget_id AND NOT b.deleted
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(q.cost), 0) AS spent FROM scope_spend_quarter_hour q
       WHERE q.tenant = p_tenant AND q.scope = b.scope AND q.scope_id = coalesce(b.scope_id, '')
         AND q.bucket_start >= w.period_start AND q.bucket_start < w.period_end
    ) sp
    CROSS JOIN LATERAL (
      SELECT coalesce((SELECT t.amount FROM reservation_total t WHERE t.tenant = p_tenant AND t.budget_id = b.budget_id), 0) AS reserved
    ) rs;
  IF v_found <> v_count THEN
    -- A budget the caller thinks exists is gone: its copy is out of date whatever the sequence says.
    RETURN QUERY SELECT 0, 'stale'::text, NULL::text, NULL::numeric, NULL::numeric, NULL::text, NULL::text, NULL::text, NULL::text, false;
    RETURN;
  END IF;
  v_added := array_fill(0::numeric, ARRAY[greatest(v_count, 1)]);

  -- A tenant's pauses are few: read once, matched per check below.
  SELECT coalesce(array_agg(ps.scope), '{}'), coalesce(array_agg(ps.scope_id), '{}'), coalesce(array_agg(ps.reason), '{}'), coalesce(array_agg(ps.budget_id), '{}')
    INTO v_pause_scopes, v_pause_ids, v_pause_reasons, v_pause_budgets
    FROM pause ps WHERE ps.tenant = p_tenant;

  FOR i IN 1 .. cardinality(p_reservation_ids) LOOP
    v_paused := false;
    FOR j IN 1 .. coalesce(cardinality(v_pause_scopes), 0) LOOP
      v_scope_id := CASE v_pause_scopes[j]
        WHEN 'TENANT' THEN '' WHEN 'TEAM' THEN p_teams[i] WHEN 'AGENT' THEN p_agent_ids[i]
        WHEN 'WORKFLOW' THEN p_workflows[i] WHEN 'ENVIRONMENT' THEN p_environments[i] END;
      IF v_pause_ids[j] = v_scope_id THEN
        v_paused := true;
      END IF;
    END LOOP;

    v_blocked := false;
    FOR k IN p_match_offsets[i] .. p_match_offsets[i + 1] - 1 LOOP
      p := p_match_positions[k];
      IF v_blocks[p] AND (v_spent[p] >= v_limits[p] OR v_spent[p] + v_reserved[p] + v_added[p] + p_estimates[i] > v_limits[p]) THEN
        v_blocked := true;
      END IF;
    END LOOP;
    v_reserve := NOT v_blocked AND NOT v_paused AND p_estimates[i] > 0 AND p_match_offsets[i + 1] > p_match_offsets[i];

    FOR k IN p_match_offsets[i] .. p_match_offsets[i + 1] - 1 LOOP
      p := p_match_positions[k];
      check_index := i; row_kind := 'budget'; budget_id := p_budget_ids[p]; spent := v_spent[p]; reserved := v_reserved[p] + v_added[p];
      pause_scope := NULL; pause_scope_id := NULL; pause_reason := NULL; pause_budget_id := NULL; reserved_now := v_reserve;
      RETURN NEXT;
      IF v_reserve THEN
        v_added[p] := v_added[p] + p_estimates[i];
        v_r_ids := v_r_ids || p_reservation_ids[i];
        v_r_budgets := v_r_budgets || p_budget_ids[p];
        v_r_agents := v_r_agents || p_agent_ids[i];
        v_r_spans := v_r_spans || p_span_ids[i];
        v_r_amounts := v_r_amounts || p_estimates[i];
        v_r_expiry := v_r_expiry || p_expires_at[i];
      END IF;
    END LOOP;
    IF v_paused THEN
      FOR j IN 1 .. cardinality(v_pause_scopes) LOOP
        v_scope_id := CASE v_pause_scopes[j]
          WHEN 'TENANT' THEN '' WHEN 'TEAM' THEN p_teams[i] WHEN 'AGENT' THEN p_agent_ids[i]
          WHEN 'WORKFLOW' THEN p_workflows[i] WHEN 'ENVIRONMENT' THEN p_environments[i] END;
        IF v_pause_ids[j] = v_scope_id THEN
          check_index := i; row_kind := 'pause'; budget_id := NULL; spent := NULL; reserved := NULL;
          pause_scope := v_pause_scopes[j]; pause_scope_id := v_pause_ids[j]; pause_reason := v_pause_reasons[j]; pause_budget_id := v_pause_budgets[j];
          reserved_now := v_reserve;
          RETURN NEXT;
        END IF;
      END LOOP;
    END IF;
  END LOOP;

  IF cardinality(v_r_ids) > 0 THEN
    INSERT INTO reservation (tenant, reservation_id, budget_id, agent_id, span_id, amount, expires_at)
    SELECT p_tenant, * FROM unnest(v_r_ids, v_r_budgets, v_r_agents, v_r_spans, v_r_amounts, v_r_expiry);
    -- Reservations are only ever made here, so their totals grow here, in the locked rows' order.
    INSERT INTO reservation_total AS t (tenant, budget_id, amount)
    SELECT p_tenant, p_budget_ids[x.p], v_added[x.p] FROM generate_series(1, v_count) AS x(p) WHERE v_added[x.p] > 0 ORDER BY p_budget_ids[x.p]
    ON CONFLICT ON CONSTRAINT reservation_total_pkey DO UPDATE SET amount = t.amount + EXCLUDED.amount;
  END IF;
END
$$;
