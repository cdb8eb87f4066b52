// The questions of the README (“Fourteen questions a FinOps lead asks”), verbatim: the e2e tests run exactly these.
export const QUESTIONS = {
  activeAgents: `query ActiveAgents($from: DateTime!, $to: DateTime!) {
  activeAgents(from: $from, to: $to) { agentId team calls totalCost lastSeen agent { owner platform lifecycle } }
}`,
  spend: `query Spend($from: DateTime!, $to: DateTime!) {
  costSummary(from: $from, to: $to) { totalCost llmCalls toolCalls inputTokens outputTokens retries retryCost escalations escalationCost unpricedCalls }
}`,
  spendByTeam: `query SpendByTeam($from: DateTime!, $to: DateTime!) {
  costBreakdown(from: $from, to: $to, by: TEAM) { key totalCost llmCalls inputTokens outputTokens }
}`,
  spendTrend: `query SpendTrend($from: DateTime!, $to: DateTime!) {
  spendOverTime(from: $from, to: $to, bucket: DAY) { bucketStart key totalCost }
}`,
  valueByWorkflow: `query ValueByWorkflow($from: DateTime!, $to: DateTime!) {
  outcomeEconomics(from: $from, to: $to, by: WORKFLOW) { key outcome successes totalCost costPerOutcome value timeSavedMinutes roi }
}`,
  retriesAndEscalations: `query RetriesAndEscalations($from: DateTime!, $to: DateTime!) {
  operationalSummary(from: $from, to: $to) { calls retries retryRate retryCost escalations escalationRate escalationCost errors errorRate latencyByModel { model calls p50Ms p95Ms } }
  routingDecisions(from: $from, to: $to) { router decision count totalCost }
}`,
  waste: `query Waste($from: DateTime!, $to: DateTime!) {
  waste(from: $from, to: $to, by: AGENT) { key runs unsuccessfulRuns wastedCost totalCost }
}`,
  disproportionateAgents: `query DisproportionateAgents($from: DateTime!, $to: DateTime!) {
  agentEfficiency(from: $from, to: $to, limit: 10) { agentId totalCost shareOfCost successes shareOfSuccesses value costPerOutcome roi }
}`,
  qualityPerDollar: `query QualityPerDollar($from: DateTime!, $to: DateTime!) {
  evaluationSummary(from: $from, to: $to, by: AGENT) { key evaluator metric count passed averageScore totalCost costPerPassing }
}`,
  oneRun: `query OneRun($traceId: ID!) {
  run(traceId: $traceId) { traceId agentId status totalCost agent { owner } spans { spanId parentSpanId kind cost totalCost attempt status model escalatedFrom } evaluations { evaluator metric score passed spanId } }
}`,
} as const;

/** Questions 11 and 12 of the README: control. Run by control.e2e.spec.ts. */
export const CONTROL_QUESTIONS = {
  budgetsAtRisk: `query BudgetsAtRisk {
  budgets { id name scope scopeId period limit spent reserved remaining status forecast projectedBreachAt periodEnd }
}`,
  whoWasStopped: `query WhoWasStopped($from: DateTime!, $to: DateTime!) {
  pausedScopes { scope scopeId reason by budgetId pausedAt }
  alerts(from: $from, to: $to) { kind budgetId agentId threshold spent limit message at }
}`,
} as const;

/** Questions 13 and 14 of the README: the inventory and governance. Run by inventory.e2e.spec.ts. */
export const INVENTORY_QUESTIONS = {
  governance: `query Governance($from: DateTime!, $to: DateTime!) {
  governance(from: $from, to: $to) {
    unregistered { count totalCost agents { id team platform firstSeen lastSeen cost(from: $from, to: $to) } }
    unowned { count totalCost agents { id team registered cost(from: $from, to: $to) } }
    idleWithCost { count totalCost agents { id owner platform vendor lastSeen cost(from: $from, to: $to) } }
    retiredStillSending { count totalCost agents { id owner retiredAt lastSeen cost(from: $from, to: $to) } }
  }
}`,
  overlaps: `query Overlaps {
  agentOverlaps { workflow agents teams }
}`,
} as const;
