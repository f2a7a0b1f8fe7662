// The /ws/chat connection: token as a subprotocol, resume with the last event id, reconnect.

export type Frame = { type: string; id?: string } & Record<string, any>;
type Listener = (frame: Frame) => void;

export class ChatSocket {
  private socket: WebSocket | null = null;
  private lastEventId: string | null = null;
  private listeners: Listener[] = [];
  private retry = 0;
  private closedByUs = false;

  constructor(
    private readonly token: () => string | null,
    private readonly onStatus: (state: "online" | "connecting" | "offline", detail?: string) => void,
  ) {}

  on(listener: Listener): void {
    this.listeners.push(listener);
  }

  connect(): void {
    const t = this.token();
    if (!t) return;
    this.closedByUs = false;
    this.onStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = this.lastEventId ? `?lastEventId=${encodeURIComponent(this.lastEventId)}` : "";
    const carrier = encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${t}`);
    const socket = new WebSocket(`${scheme}://${location.host}/ws/chat${query}`, ["bearer-token-carrier", carrier]);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.onStatus("online");
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data) as Frame;
      if (frame.id) this.lastEventId = frame.id;
      if (frame.type === "hello" && !this.lastEventId) this.lastEventId = frame.lastEventId;
      if (frame.type === "resync") this.lastEventId = frame.lastEventId;
      this.listeners.forEach((l) => l(frame));
    };
    socket.onclose = (event) => {
      this.onStatus("offline", event.reason);
      if (this.closedByUs) return;
      const delay = Math.min(15000, 500 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    };
  }

  send(frame: Record<string, unknown>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close();
  }
}
