import type { TransferView } from "@inventory/shared";
import type { ApiClient } from "../../api/api-client.js";
import { OperatorList } from "../../components/operator-list.js";

const STATUSES = ["REQUESTED", "DISPATCHED", "RECEIVED", "COMPLETED", "FAILED"] as const satisfies readonly TransferView["status"][];
const lines = (t: TransferView) => t.lines.map((l) => `${l.sku}×${l.qty}`).join(", ");

export const TransfersPage = ({ api }: { api: ApiClient }) => (
  <OperatorList<TransferView>
    api={api}
    path="/v1/transfers"
    title="Transfers"
    statuses={STATUSES}
    storeLabel="From or to store"
    idOf={(t) => t.transferId}
    columns={[
      { header: "Transfer", cell: (t) => t.transferId },
      { header: "From", cell: (t) => t.fromStore },
      { header: "To", cell: (t) => t.toStore },
      { header: "Status", cell: (t) => t.status },
      { header: "Lines", cell: lines },
      { header: "Created", cell: (t) => t.createdAt },
      { header: "Failure", cell: (t) => t.failureReason ?? "" },
    ]}
    detail={(t) => (
      <>
        <h2>Transfer {t.transferId}</h2>
        <p>
          {t.fromStore} → {t.toStore}, receipt {t.receipt}, {lines(t)}
        </p>
        <ol aria-label="Steps">
          {t.history.map((h) => (
            <li>
              {h.at} {h.status}
              {h.reason ? `: ${h.reason}` : ""}
            </li>
          ))}
        </ol>
      </>
    )}
  />
);
