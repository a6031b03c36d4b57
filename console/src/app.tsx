import { useEffect, useMemo, useState } from "preact/hooks";
import { createApiClient } from "./api/api-client.js";
import { devSignInToken, mayOperate, sessionFor, storedToken, storeToken, type Session } from "./auth/session.js";
import { SignIn } from "./auth/sign-in.js";
import { FleetPage } from "./pages/fleet/fleet-page.js";
import { OperationsPage } from "./pages/operations/operations-page.js";
import { ReservationsPage } from "./pages/reservations/reservations-page.js";
import { StockPage } from "./pages/stock/stock-page.js";
import { TransfersPage } from "./pages/transfers/transfers-page.js";

const PAGES = [
  { id: "fleet", label: "Fleet" },
  { id: "stock", label: "Stock" },
  { id: "reservations", label: "Reservations" },
  { id: "transfers", label: "Transfers" },
  { id: "operations", label: "Operations" },
] as const;
type PageId = (typeof PAGES)[number]["id"];

const pageFromHash = (): PageId => {
  const id = location.hash.replace(/^#\/?/, "");
  return PAGES.some((p) => p.id === id) ? (id as PageId) : "fleet";
};

export const App = () => {
  const [session, setSession] = useState<Session | null>(() => {
    const token = storedToken() ?? devSignInToken();
    return token ? sessionFor(token) : null;
  });
  const [signedOutBecause, setSignedOutBecause] = useState<string | null>(null);
  const [page, setPage] = useState<PageId>(pageFromHash);
  useEffect(() => {
    const follow = () => setPage(pageFromHash());
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  const api = useMemo(
    () =>
      createApiClient(
        () => session?.token ?? null,
        () => {
          storeToken(null);
          setSignedOutBecause("The hub refused the token (401): it may have expired. Sign in again.");
          setSession(null);
        },
      ),
    [session],
  );
  if (!session) {
    return (
      <SignIn
        reason={signedOutBecause}
        onSignIn={(token) => {
          storeToken(token);
          setSignedOutBecause(null);
          setSession(sessionFor(token));
        }}
      />
    );
  }
  const operate = mayOperate(session);
  return (
    <>
      <header>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <strong>Inventory console</strong>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a href={`#/${p.id}`} aria-current={p.id === page ? "page" : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.subject} ({session.roles.join(", ") || "no role"}){" "}
          <button
            type="button"
            onClick={() => {
              storeToken(null);
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main">
        {page === "fleet" ? <FleetPage api={api} /> : null}
        {page === "stock" ? <StockPage api={api} mayOperate={operate} /> : null}
        {page === "reservations" ? <ReservationsPage api={api} /> : null}
        {page === "transfers" ? <TransfersPage api={api} /> : null}
        {page === "operations" ? <OperationsPage api={api} mayOperate={operate} /> : null}
      </main>
    </>
  );
};
