/** Previous / next buttons for a list paged on the server or here. */
export const Pager = (props: { label: string; onPrevious?: () => void; onNext?: () => void; position?: string }) => (
  <nav class="pager" aria-label={props.label}>
    <button type="button" onClick={props.onPrevious} disabled={!props.onPrevious}>
      ← Previous
    </button>
    {props.position ? <span>{props.position}</span> : null}
    <button type="button" onClick={props.onNext} disabled={!props.onNext}>
      Next →
    </button>
  </nav>
);
