// REST calls to the orchestrator (and, through it or the gateway, session-service and memory-service).

const TOKEN_KEY = "engram.token";

export function token(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
}

export function saveToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

export function subject(jwt: string): string {
  try {
    const payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return String(payload.sub ?? "");
  } catch {
    return "";
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { type?: string; title?: string; detail?: string },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token()}`);
  if (init.body) headers.set("Content-Type", "application/json");
  const response = await fetch(path, { ...init, headers });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body ?? {});
  return body as T;
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
