import type { ReservationView } from "@inventory/shared";
import type { ApiClient } from "../../api/api-client.js";
import { OperatorList } from "../../components/operator-list.js";

const STATUSES = ["CREATED", "CONFIRMED", "CANCELLED", "EXPIRED"] as const satisfies readonly ReservationView["status"][];
const lines = (r: ReservationView) => r.lines.map((l) => `${l.sku}×${l.qty}`).join(", ");

export const ReservationsPage = ({ api }: { api: ApiClient }) => (
  <OperatorList<ReservationView>
    api={api}
    path="/v1/reservations"
    title="Reservations"
    statuses={STATUSES}
    storeLabel="Store"
    idOf={(r) => r.reservationId}
    columns={[
      { header: "Reservation", cell: (r) => r.reservationId },
      { header: "Store", cell: (r) => r.storeId },
      { header: "Status", cell: (r) => r.status },
      { header: "Lines", cell: lines },
      { header: "Created", cell: (r) => r.createdAt },
      { header: "Expires", cell: (r) => r.expiresAt },
    ]}
    detail={(r) => (
      <>
        <h2>Reservation {r.reservationId}</h2>
        <dl>
          <dt>Customer</dt>
          <dd>{r.customerId ?? "-"}</dd>
          <dt>Version</dt>
          <dd>{r.version}</dd>
          <dt>Updated</dt>
          <dd>{r.updatedAt}</dd>
          <dt>Lines</dt>
          <dd>{lines(r)}</dd>
        </dl>
      </>
    )}
  />
);
