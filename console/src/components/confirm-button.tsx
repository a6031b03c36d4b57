import { useState } from "preact/hooks";

/** A button that asks before doing something that cannot be undone from here. */
export const ConfirmButton = (props: { label: string; question: string; disabled?: boolean; disabledReason?: string; onConfirm: () => void }) => {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} disabled={props.disabled} title={props.disabled ? props.disabledReason : undefined}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        class="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        Yes, {props.label.toLowerCase()}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
};
