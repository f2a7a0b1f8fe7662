// REST calls to the orchestrator (and, through it or the gateway, session-service and memory-service).

const TOKEN_KEY = "engram.token";

/**
 * The user's token: from the page's {@code #token=} fragment (where the gateway's sign-in and a
 * local run put it; moved into this tab's sessionStorage and out of the address bar), else what this
 * tab stored before.
 */
export function token(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Whether a status means "this token is not (or no longer) accepted here": sign in again. */
export function refusesToken(status: number): boolean {
  return status === 401 || status === 403;
}

let onRefused: (error: ApiError) => void = () => {};

/** What to do when a request's token is refused (401 or 403): the app signs out. */
export function whenTokenRefused(handler: (error: ApiError) => void): void {
  onRefused = handler;
}

export function subject(jwt: string): string {
  try {
    const payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return String(payload.sub ?? "");
  } catch {
    return "";
  }
}

export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token()}`);
  if (init.body) headers.set("Content-Type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new Error(`cannot reach the server (${path.split("?")[0]})`);
  }
  const text = await response.text();
  const body = parse(text, response.headers.get("Content-Type"));
  if (!response.ok) {
    // A proxy or a crash may answer with HTML or plain text: show the status, not a parse error.
    const problem: Problem =
      body && typeof body === "object" && !Array.isArray(body)
        ? (body as Problem)
        : { title: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
    const error = new ApiError(response.status, problem);
    if (refusesToken(response.status)) onRefused(error);
    throw error;
  }
  if (text && body === undefined) throw new ApiError(response.status, { title: `HTTP ${response.status}: not JSON` });
  return (body ?? null) as T;
}

/** The JSON of a body, {@code null} when empty, {@code undefined} when it is not JSON. */
function parse(text: string, contentType: string | null): unknown {
  if (!text) return null;
  if (contentType && !/json/i.test(contentType)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface Session {
  id: string;
  title: string;
  status: string;
  parentSessionId?: string | null;
  createdAt: string;
}

export interface Message {
  id: string;
  role: string;
  content: string;
  sequence?: number;
  createdAt?: string;
}

export interface Memory {
  id: string;
  type: string;
  content: string;
  state: string;
  strength: number;
  clusterId?: string | null;
  createdAt?: string;
  /** When a DECAYED memory is deleted unless it is reinforced before. */
  deleteAfter?: string | null;
  accessCount?: number;
}

export interface Cluster {
  id: string;
  label?: string;
  size?: number;
  stability?: number;
}

/** The items of a list answer, whatever the paging field is called. */
export function items<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const o = (body ?? {}) as Record<string, unknown>;
  for (const k of ["items", "data", "content", "memories", "clusters", "sessions", "messages"]) {
    if (Array.isArray(o[k])) return o[k] as T[];
  }
  return [];
}

export function nextCursor(body: unknown): string | null {
  const o = (body ?? {}) as Record<string, unknown>;
  return typeof o.nextCursor === "string" && o.nextCursor ? o.nextCursor : null;
}
