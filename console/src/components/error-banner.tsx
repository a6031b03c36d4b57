import type { ApiError } from "../api/error-message.js";

/** An API error as what it means, never a blank page. */
export const ErrorBanner = ({ error }: { error: ApiError | undefined }) =>
  error ? (
    <p class="error" role="alert" data-code={error.code}>
      {error.text}
    </p>
  ) : null;
