import { useEffect, useRef, useState } from "preact/hooks";

/** A button that asks before doing something that cannot be undone from here. */
export const ConfirmButton = (props: {
  label: string;
  question: string;
  disabled?: boolean;
  disabledReason?: string;
  onConfirm: () => void;
}) => {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the question's own button as soon as it appears.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        onClick={() => setAsking(true)}
        disabled={props.disabled}
        title={props.disabled ? props.disabledReason : undefined}
      >
        {props.label}
      </button>
    );
  }
  return (
    <fieldset class="confirm" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        class="danger"
        ref={confirm}
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
    </fieldset>
  );
};
