import { useState, type FormEvent } from 'react';

/** Asks for an API key; the key is kept for this browser tab only (sessionStorage). */
export function SignIn({ onSignIn, error, busy }: { onSignIn: (apiKey: string) => void; error?: string; busy: boolean }) {
  const [apiKey, setApiKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (apiKey.trim()) onSignIn(apiKey.trim());
  };
  return (
    <main className="sign-in">
      <h1>AgentLedger Control Tower</h1>
      <p>What each agent cost, what it did, and whether it was worth it. Sign in with an API key of your tenant: viewer keys see every page, admin keys also get the forms.</p>
      <form onSubmit={submit}>
        <label>
          API key <input type="password" name="apiKey" autoComplete="off" value={apiKey} onChange={(event) => setApiKey(event.target.value)} autoFocus />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error && (
        <p className="state error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">The key stays in this tab only and is sent to this gateway alone, in the Authorization header.</p>
    </main>
  );
}
