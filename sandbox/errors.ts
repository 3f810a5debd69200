import type { ErrorDetail } from "./envelope";

/** Thrown by handlers and the request pipeline; the server turns it into Kantata's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly details: readonly ErrorDetail[],
  ) {
    super(details.map((detail) => detail.message).join("; "));
  }
}

export const systemError = (status: number, message: string): ApiError => new ApiError(status, [{ type: "system", message }]);

export const validationError = (status: 400 | 422, field: string, message: string): ApiError =>
  new ApiError(status, [{ type: "validation", message, field }]);
