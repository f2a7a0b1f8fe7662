// The /ws/chat connection: token as a subprotocol, resume with the last event id, reconnect; stop
// when the token is refused.

export type Frame = { type: string; id?: string } & Record<string, any>;
type Listener = (frame: Frame) => void;

export class ChatSocket {
  private socket: WebSocket | null = null;
  private lastEventId: string | null = null;
  private listeners: Listener[] = [];
  private retry = 0;
  private closedByUs = false;

  /**
   * @param refused asked after a connection that never opened: a browser cannot see the status of a
   *     refused upgrade (401 without a valid token, 403 for another user: close code 1006 like a
   *     network failure), so it asks the server over REST whether the token is still accepted.
   *     {@code true} stops reconnecting (the token is refused: the app signs out).
   */
  constructor(
    private readonly token: () => string | null,
    private readonly onStatus: (state: "online" | "connecting" | "offline", detail?: string) => void,
    private readonly refused: () => Promise<boolean> = async () => false,
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
    let opened = false;
    socket.onopen = () => {
      opened = true;
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
    socket.onclose = async (event) => {
      if (this.socket !== socket) return;
      this.onStatus("offline", event.reason);
      if (this.closedByUs) return;
      if (!opened && (await this.refused())) {
        this.closedByUs = true;
        return;
      }
      if (this.closedByUs || this.socket !== socket) return;
      const delay = Math.min(15000, 500 * 2 ** this.retry++);
      setTimeout(() => {
        if (!this.closedByUs && this.socket === socket) this.connect();
      }, delay);
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
