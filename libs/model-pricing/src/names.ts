/** Model, tool and vendor names are matched case-insensitively and without surrounding space. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** Candidate (provider, model) names for what an agent sent: as sent, then without a provider prefix. */
export function nameCandidates(provider: string, model: string): Array<{ provider: string; model: string }> {
  const p = normalizeName(provider);
  const m = normalizeName(model);
  const candidates = [{ provider: p, model: m }];
  const slash = m.indexOf('/');
  if (slash > 0) candidates.push({ provider: p, model: m.slice(slash + 1) });
  return candidates;
}
