import { useState } from "preact/hooks";

/** Sign in by pasting a bearer token (what `npm run tokens` prints, or one from the identity provider). */
export const SignIn = ({ onSignIn, reason }: { onSignIn: (token: string) => void; reason: string | null }) => {
  const [token, setToken] = useState("");
  return (
    <main class="sign-in">
      <h1>Inventory operator console</h1>
      {reason ? (
        <p class="error" role="alert">
          {reason}
        </p>
      ) : null}
      <form onSubmit={(e) => (e.preventDefault(), token.trim() && onSignIn(token.trim()))}>
        <label for="token">Bearer token</label>
        <textarea id="token" name="token" rows={4} value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
        <button type="submit">Sign in</button>
      </form>
      <p>The token stays in this tab only (session storage) and is sent to this hub alone.</p>
    </main>
  );
};
